"""A real browser: an agent ticks 30 requests on the queue page and closes them at once."""

import time

import pytest
from playwright.sync_api import expect

from helpdesk.models import Ticket, TicketEntry

pytestmark = pytest.mark.browser


def test_agent_selects_30_requests_and_closes_them_with_one_confirmation(page, agent, make_ticket):
    for number in range(30):
        make_ticket(subject=f"Router offline {number}", email=f"customer{number}@example.hu")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_test_id("queue-row")).to_have_count(25)
    page.get_by_label("Select all requests on this page").check()
    expect(page.locator('input[name="ticket"]:checked')).to_have_count(25)
    page.get_by_label("Select all 30 matching requests, on every page").check()
    page.get_by_role("combobox", name="Change").select_option(label="Closed")
    page.get_by_role("button", name="Change the ticked requests…").click()

    expect(page.get_by_test_id("bulk-count")).to_have_text("Change 30 requests?")
    assert Ticket.objects.filter(status="closed").count() == 0
    page.get_by_role("button", name="Yes, change 30 requests").click()

    expect(page.get_by_text("30 requests changed.")).to_be_visible()
    expect(page.get_by_test_id("queue-row")).to_have_count(0)
    assert Ticket.objects.filter(status="closed").count() == 30
    assert TicketEntry.objects.filter(event="status_changed", data__to="closed").count() == 30
    assert errors == []


def test_ticks_survive_a_refresh_of_the_list_that_was_already_on_its_way(page, agent, make_ticket):
    """The list refreshes itself (its poll, or a change pushed to it); a refresh asked for just
    before the agent ticked a request used to come back after the tick and clear it."""
    for number in range(3):
        make_ticket(subject=f"Router offline {number}", email=f"customer{number}@example.hu")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("queue-row")).to_have_count(3)
    # The list may be refreshing itself as the holding starts (a push just after the page came),
    # as here; htmx drops a trigger while the list's request is out, so the test lets that one end
    # (or holds it, if it left after the holding began) before the list asks again.
    page.evaluate("htmx.trigger('#queue-list', 'live')")
    held = []
    # Only the list's own refresh is held: the page's other requests under /agent/ (the alert
    # counter's poll) go on, and the wait below counts the list's answers alone.
    page.route(
        "**/agent/**",
        lambda route: (
            held.append(route)
            if route.request.headers.get("hx-target") == "queue-list"
            else route.continue_()
        ),
    )
    refreshing = page.locator("#queue-list.htmx-request")
    deadline = time.monotonic() + 10
    while not held and refreshing.count() and time.monotonic() < deadline:  # that one, unheld, ends
        page.wait_for_timeout(50)

    page.evaluate(
        "document.body.addEventListener('htmx:afterRequest', event => {"
        " if (event.target.id === 'queue-list') window.listAnswers = (window.listAnswers || 0) + 1 })"
    )

    page.evaluate("htmx.trigger('#queue-list', 'live')")  # the list asks for itself again
    page.evaluate("htmx.trigger('#agent-alert-count', 'live')")  # and so does the alert counter
    while not held and time.monotonic() < deadline:  # the refresh is on its way (held) …
        page.wait_for_timeout(50)
    assert held, "the list's refresh was held"
    page.get_by_label("Select all requests on this page").check()  # … when the agent ticks
    for route in held:  # its answer arrives after the ticks
        route.continue_()
    page.wait_for_function(f"() => window.listAnswers >= {len(held)}")

    expect(page.locator('input[name="ticket"]:checked')).to_have_count(3)
