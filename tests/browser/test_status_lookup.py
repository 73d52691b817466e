"""In a real browser: a customer finds their request, checks our summary, writes to us with a
file, and asks for a new link; and these pages meet WCAG 2.1 AA in every language."""

import re

import pytest
from playwright.sync_api import expect

from helpdesk.models import Notification, Ticket, TicketEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ticket(make_ticket):
    ticket = make_ticket(email="katalin@example.hu", language="en")
    Ticket.objects.filter(pk=ticket.pk).update(
        summary="Your November bill was taken twice; you want the second payment refunded.",
        summary_state="pending",
    )
    fresh = Ticket.objects.get(pk=ticket.pk)
    fresh.status_token = ticket.status_token  # the acknowledgement's link (only its hash is stored)
    return fresh


def open_status_page(page, ticket):
    page.goto("/")
    menu = page.get_by_role("button", name="Show menu")
    if menu.is_visible():  # on a phone the navigation is folded away
        menu.click()
    page.get_by_role("navigation").get_by_role("link", name="Check my request").click()
    form = page.get_by_role("region", name="Find my request")
    form.get_by_label("Reference").fill(ticket.reference.lower())
    form.get_by_label("Email address").fill("katalin@example.hu")
    form.get_by_role("button", name="Show my request").click()
    expect(page.get_by_role("heading", name=f"Request {ticket.reference}")).to_be_visible()


def test_a_customer_looks_up_a_request_by_reference_and_email(phone_page, ticket):
    phone_page.goto("/status/")
    form = phone_page.get_by_role("region", name="Find my request")
    form.get_by_label("Reference").fill(ticket.reference)
    form.get_by_label("Email address").fill("someone@example.com")
    form.get_by_role("button", name="Show my request").click()
    expect(phone_page.get_by_test_id("lookup-problem")).to_contain_text(
        "We could not find a request with this reference and email address."
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    open_status_page(phone_page, ticket)

    # A link drawn for this visit, not the one in the acknowledgement.
    assert "/status/" in phone_page.url
    assert not phone_page.url.endswith(f"/status/{ticket.status_token}/")
    expect(phone_page.get_by_test_id("ticket-status")).to_have_text("Your request is in line for an agent.")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_customer_confirms_the_summary(page, ticket):
    """The page sends no Referer, so Chromium posts with "Origin: null": the check must let it in."""
    open_status_page(page, ticket)
    page.get_by_role("button", name="This is right").click()

    expect(page.get_by_test_id("summary-state")).to_contain_text("You confirmed this summary.")
    ticket.refresh_from_db()
    assert ticket.summary_state == "confirmed"


def test_a_customer_writes_with_an_attachment(page, ticket, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page.goto(f"/status/{ticket.status_token}/")

    page.get_by_label("Your message").fill("Here is my bank statement.")
    page.get_by_label("Attachments (optional)").set_input_files(
        files=[{"name": "statement.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 statement"}]
    )
    page.get_by_role("button", name="Send my message").click()

    expect(page.get_by_text("Thank you, your message is with us.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Here is my bank statement.")
    expect(page.get_by_test_id("timeline")).to_contain_text("statement.pdf")
    message = ticket.entries.filter(kind=TicketEntry.Kind.MESSAGE).last()
    assert message.attachments.get().filename == "statement.pdf"


def test_a_customer_closes_the_request_after_confirming(page, ticket):
    page.goto(f"/status/{ticket.status_token}/")
    page.get_by_role("link", name="Close my request").click()
    page.get_by_role("button", name="Yes, close my request").click()

    expect(page.get_by_test_id("ticket-status")).to_have_text("Your request is resolved.")
    expect(page.get_by_role("heading", name="Not solved after all? Write to us again")).to_be_visible()


def test_a_customer_asks_for_a_new_link(page, ticket):
    old_token = ticket.status_token
    page.goto(f"/status/{old_token}/")
    page.get_by_role("button", name="Send me a new link").click()

    expect(page.get_by_test_id("new-link-sent")).to_contain_text(
        "The link you used until now no longer works."
    )
    emailed = Notification.objects.get(kind="status_links").body_text
    new_token = re.search(r"/status/([^/\s]+)/", emailed).group(1)
    assert new_token != old_token
    assert page.goto(f"/status/{old_token}/").status == 404
    page.goto(f"/status/{new_token}/")
    expect(page.get_by_role("heading", name=f"Request {ticket.reference}")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_lookup_result_and_status_page_are_accessible(page_in, assert_accessible, ticket, agent, language):
    ticket.record(TicketEntry.Kind.REPLY, by=agent, body="We are checking the payment.", is_public=True)
    page = page_in(language)

    page.goto("/status/")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)

    page.locator("#id_reference").fill("ACDE-FGHJ")
    page.locator("#id_email").fill("katalin@example.hu")
    page.locator("form[action='/status/'] button[type=submit]").click()
    expect(page.get_by_test_id("lookup-problem")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/status/{ticket.status_token}/")
    expect(page.get_by_test_id("reply-box")).to_be_visible()
    assert_accessible(page)
