"""A real browser: an agent with the queue page open sees the count of notifications rise when a
customer replies on their ticket, without reloading the page."""

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.long
def test_the_open_queue_page_shows_a_customers_reply_without_a_reload(page, agent, make_ticket, settings):
    settings.LIVE_PUSH = False  # by polling; by push below
    ticket = make_ticket(subject="Charged twice", email="katalin@example.hu", language="en")
    ticket.assign(agent, by=agent)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("queue-list")).to_be_visible()
    expect(page.get_by_test_id("agent-alerts-link")).to_have_text("Notifications")
    page.evaluate("window.notReloaded = true")

    # The customer answers from their status page, in another browser as far as we care.
    response = Client().post(f"/status/{ticket.status_token}/reply/", {"body": "Any news on my refund?"})
    assert response.status_code == 302

    # The count is polled every 15 seconds.
    expect(page.get_by_test_id("agent-alert-count")).to_contain_text("1", timeout=20_000)
    assert page.evaluate("window.notReloaded") is True

    page.get_by_test_id("agent-alerts-link").click()
    expect(page.get_by_test_id("agent-alert")).to_contain_text("A customer replied on your request")
    page.get_by_role("link", name=f"{ticket.reference}: Charged twice").click()
    expect(page).to_have_url(f"/agent/tickets/{ticket.reference}/")


def test_by_push_the_open_queue_page_shows_a_new_request_and_a_notification_at_once(
    page, agent, make_ticket, settings
):
    settings.LIVE_PUSH = True
    settings.LIVE_CONNECTED_POLL_SECONDS = 3600  # what arrives, arrives by push
    ticket = make_ticket(subject="Charged twice", email="katalin@example.hu", language="en")
    ticket.assign(agent, by=agent)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("queue-list")).to_contain_text("Charged twice")
    page.wait_for_function("() => window.helpdeskLive.connected")
    page.evaluate("window.notReloaded = true")

    Client().post(f"/status/{ticket.status_token}/reply/", {"body": "Any news on my refund?"})
    expect(page.get_by_test_id("agent-alert-count")).to_contain_text("1", timeout=3_000)

    make_ticket(subject="Router blinking red", language="en")
    expect(page.get_by_test_id("queue-list")).to_contain_text("Router blinking red", timeout=3_000)
    assert page.evaluate("window.notReloaded") is True
