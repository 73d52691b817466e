"""A real browser: an agent sees the line, filters it, takes the next request and lands on it."""

import pytest
from playwright.sync_api import expect

from helpdesk.models import Priority

pytestmark = pytest.mark.browser


def test_agent_filters_the_queue_and_takes_the_next_request(page, agent, make_ticket):
    make_ticket(subject="Charged twice", email="katalin@example.hu")
    urgent = make_ticket(
        subject="No internet since morning", priority=Priority.URGENT, email="jozsef@example.hu"
    )

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("No internet since morning")
    expect(rows.first).to_contain_text("priority urgent")

    page.get_by_label("Search").fill("charged")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Charged twice")

    page.get_by_role("button", name="Take next").click()
    expect(page).to_have_url(f"/agent/tickets/{urgent.reference}/")
    expect(page.get_by_text(urgent.reference).first).to_be_visible()
