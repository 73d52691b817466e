"""A real browser: the workspace's SLA clocks count down while the agent looks at the ticket,
turn amber when the request enters its last quarter and red when the time is up."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpdesk.models import BusinessCalendar, OpeningHours
from helpdesk.queue.sla_clocks import business_duration

pytestmark = pytest.mark.browser


@pytest.fixture
def budapest_calendar(db):
    """Open round the clock, so the clocks run whenever the test runs (but on a public holiday)."""
    calendar = BusinessCalendar.objects.create(name="Always", country="HU", time_zone="Europe/Budapest")
    for day in range(7):
        OpeningHours.objects.create(calendar=calendar, weekday=day, opens=time(0), closes=time(0))
    if not calendar.calendar.is_open(timezone.now()):
        pytest.skip("a Hungarian public holiday: the office is closed today")
    return calendar


def sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("queue-list")).to_be_visible()


def test_the_first_answer_clock_counts_down_then_turns_at_risk_then_breached(page, agent, make_ticket):
    ticket = make_ticket(subject="No internet since morning")
    sign_in(page)
    page.clock.install()  # the page's own time, brought forward rather than waited for

    page.goto(f"/agent/tickets/{ticket.reference}/")
    page.wait_for_load_state("load")
    first = page.get_by_test_id("sla-clock").first
    left = int(first.get_attribute("data-left-seconds"))
    risk = int(first.get_attribute("data-risk-seconds"))
    state, badge = first.get_by_test_id("sla-state"), first.locator("[data-sla-badge]")
    expect(state).to_have_text(f"{business_duration(timedelta(seconds=left))} of business time left")

    page.clock.fast_forward(2 * 60 * 1000)
    expect(state).to_have_text(f"{business_duration(timedelta(seconds=left - 120))} of business time left")
    expect(badge).to_have_text("On time")

    page.clock.fast_forward((risk - 120) * 1000)
    expect(badge).to_have_text("At risk")
    expect(badge).to_have_class("badge text-bg-warning")

    page.clock.fast_forward((left - risk + 5 * 60) * 1000)
    expect(state).to_have_text("overdue by 5 minutes of business time")
    expect(badge).to_have_text("Breached")
    expect(badge).to_have_class("badge text-bg-danger")
