"""A real browser: a customer's open status page moves up the line by push when the request
ahead of theirs is taken (its polling, every 20 seconds without push, all but stopped)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_open_status_page_moves_up_the_line_by_push(page, agent, make_ticket, settings):
    settings.LIVE_PUSH = True
    settings.LIVE_CONNECTED_POLL_SECONDS = 3600
    ahead = make_ticket(subject="Router dead", language="en")
    mine = make_ticket(subject="Bill twice as high", language="en")
    page.goto(f"/status/{mine.status_token}/")
    position = page.get_by_test_id("position")
    expect(position).to_have_text("Your place in line: 2")
    page.wait_for_function("() => window.helpdeskLive.connected")

    ahead.assign(agent, by=agent)

    expect(position).to_have_text("Your place in line: 1", timeout=8_000)
