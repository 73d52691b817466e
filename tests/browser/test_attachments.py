"""Files in a real browser: an agent opens a customer's picture (shown as its thumbnail) and PDF
from the workspace; the customer opens their own file from the status page and gets "not
found" for another request's."""

import pytest
from playwright.sync_api import expect

from helpdesk import tasks
from helpdesk.models import Attachment
from tests.helpdesk.files.conftest import PDF, incoming, picture

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_in(page, username="anna"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def test_an_agent_opens_a_customers_picture_and_pdf_from_the_workspace(page, agent, make_ticket):
    ticket = make_ticket(attachments=[incoming("meter.png", picture()), incoming("bill.pdf", PDF)])
    tasks.make_thumbnail(Attachment.objects.get(filename="meter.png").pk)  # as the worker does
    sign_in(page)
    page.goto(f"/agent/tickets/{ticket.reference}/")

    thumbnail = page.get_by_test_id("thumbnail")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.naturalWidth") == 480
    with page.expect_popup() as opened:
        thumbnail.click()
    picture_tab = opened.value
    picture_tab.wait_for_load_state()
    assert picture_tab.evaluate("document.contentType") == "image/png"
    picture_tab.close()

    pdf_link = page.get_by_role("link", name="bill.pdf")
    address = pdf_link.get_attribute("href")
    response = page.request.get(address)
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    assert response.headers["content-disposition"].startswith("inline")  # shown, not saved
    assert response.body() == PDF
    # A new tab asks for the file (whether it then shows it depends on the browser's PDF viewer,
    # which the headless shell has not).
    with (
        page.expect_popup(),
        page.context.expect_event("request", lambda request: request.url.endswith(address)),
    ):
        pdf_link.click()


def test_a_customer_opens_their_own_file_and_not_anothers(page, make_ticket):
    mine = make_ticket(attachments=[incoming("bill.pdf", PDF)])
    make_ticket(email="other@example.hu", attachments=[incoming("contract.png", picture())])
    page.goto(f"/status/{mine.status_token}/")

    link = page.get_by_role("link", name="bill.pdf")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert (response.status, response.body()) == (200, PDF)
    expect(page.get_by_text("contract.png")).to_have_count(0)

    theirs = Attachment.objects.get(filename="contract.png").pk
    answer = page.goto(f"/status/{mine.status_token}/files/{theirs}/")
    assert answer.status == 404


def test_an_agent_replies_with_a_file_the_customer_then_opens(page, agent, make_ticket, browser, live_server):
    ticket = make_ticket()
    sign_in(page)
    page.goto(f"/agent/tickets/{ticket.reference}/")

    page.get_by_label("Reply to the customer").fill("Dear Katalin, the corrected bill is attached.")
    page.get_by_label("Attachments (optional)").set_input_files(
        files=[{"name": "corrected-bill.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Send reply").click()

    expect(page.get_by_role("link", name="corrected-bill.pdf")).to_be_visible()
    customer = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    customer.goto(f"/status/{ticket.status_token}/")
    link = customer.get_by_role("link", name="corrected-bill.pdf")
    response = customer.request.get(link.get_attribute("href"))
    assert (response.status, response.body()) == (200, PDF)
    customer.context.close()
