"""The customer beside the ticket, in a real browser: the workspace shows the SLA clocks and the
customer's panel with their other requests; the agent opens the customer's page and leaves the
team a note."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_agent_sees_the_sla_and_the_customer_then_notes_something_about_them(
    page, agent, make_ticket, assert_accessible
):
    earlier = make_ticket(subject="Card blocked", channel="phone", phone="+36 30 123 4567")
    ticket = make_ticket(subject="Charged twice")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"/agent/tickets/{ticket.reference}/")

    sla = page.get_by_test_id("sla")
    expect(sla.get_by_test_id("sla-clock")).to_have_count(2)
    expect(sla).to_contain_text("First answer")
    expect(sla).to_contain_text("of business time")
    customer = page.get_by_test_id("customer-panel")
    expect(customer).to_contain_text("katalin@example.hu")
    expect(customer).to_contain_text("+36301234567")
    expect(customer.get_by_role("link", name=earlier.reference)).to_be_visible()
    assert_accessible(page)

    customer.get_by_role("link", name="All their requests and the team's note").click()

    expect(page.get_by_role("heading", name="Katalin Szabó")).to_be_visible()
    requests = page.get_by_test_id("customer-requests")
    expect(requests.get_by_role("link", name=ticket.reference)).to_be_visible()
    expect(requests.get_by_role("link", name=earlier.reference)).to_be_visible()
    page.get_by_label("Note about the customer").fill("Prefers a call after 16:00.")
    page.get_by_role("button", name="Save the note").click()

    expect(page.get_by_role("alert")).to_contain_text("Note saved.")
    expect(page.get_by_test_id("current-note")).to_have_text("Prefers a call after 16:00.")
    expect(page.get_by_test_id("customer-note")).to_contain_text("Written by Anna")
    assert_accessible(page)
