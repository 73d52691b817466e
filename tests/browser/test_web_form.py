"""In a real browser: a customer asks for help from a phone, and an agent logs a call."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from helpdesk.models import Ticket
from helpdesk.queue.expectations import expected_first_response

pytestmark = pytest.mark.browser


def test_a_customer_on_a_phone_sends_a_request_and_sees_its_confirmation(phone_page, category):
    phone_page.goto("/")
    phone_page.get_by_role("link", name="Submit a request").first.click()

    phone_page.get_by_label("Your name").fill("Katalin Szabó")
    phone_page.get_by_label("Email address").fill("katalin@example.hu")
    phone_page.get_by_label("Phone number (optional)").fill("06 30 123 4567")
    phone_page.get_by_label("What is it about?").select_option(label="Bills")
    phone_page.get_by_label("Subject").fill("Charged twice")
    phone_page.get_by_label("Tell us what happened").fill("My November bill was taken twice.")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.get_by_role("button", name="Send my request").click()

    expect(phone_page.get_by_role("heading", name="Thank you, your request has arrived")).to_be_visible()
    ticket = Ticket.objects.get()
    expect(phone_page.get_by_test_id("reference")).to_have_text(ticket.reference)
    with translation.override("en"):
        when = expected_first_response(ticket).phrase
    expect(phone_page.get_by_test_id("expected-reply")).to_contain_text(
        f"By our estimate, you can expect a reply {when}."
    )
    expect(
        phone_page.get_by_text("A confirmation email is on its way to the address you gave.")
    ).to_be_visible()
    expect(phone_page.get_by_role("link", name="See the status of your request")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    phone_page.get_by_role("link", name="See the status of your request").click()
    expect(phone_page.get_by_role("heading", name=f"Request {ticket.reference}")).to_be_visible()


def test_an_agent_finds_the_caller_by_phone_and_logs_the_call(page, agent, make_ticket):
    make_ticket(phone="+36301234567")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Log a call").click()

    page.get_by_label("Find by phone, email or name").press_sequentially("06 30 123")
    caller = page.get_by_test_id("caller-results").get_by_text("Katalin Szabó")
    expect(caller).to_be_visible()
    expect(page.get_by_test_id("caller-results")).to_contain_text("1 open request")
    caller.click()
    page.get_by_label("What the customer told you").fill("Wants the second payment refunded.")
    page.get_by_label("Solved during the call").check()
    page.get_by_role("button", name="Save the call").click()

    ticket = Ticket.objects.get(channel="phone")
    expect(page.get_by_role("alert")).to_contain_text(f"Call logged as {ticket.reference}")
    expect(page.get_by_test_id("ticket-status")).to_have_text("Resolved")
    assert ticket.solved_on_first_contact
