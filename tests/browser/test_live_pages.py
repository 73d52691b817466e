"""Live pages in a real browser, by push and with push turned off: the agent's queue page shows
a new request without a reload; a page whose push channel fails (refused, or unreachable) polls
as without push; a hidden tab stops polling and catches up once shown."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from helpdesk import presence
from helpdesk.channels import chat as chat_channel
from tests.browser.test_chat import chat_queue  # noqa: F401 (a fixture used here too)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username="anna"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def test_the_open_queue_page_shows_a_new_request_without_a_reload(page, agent, make_ticket, live_mode):
    make_ticket(subject="Charged twice", language="en")
    sign_in(page)
    queue_list = page.get_by_test_id("queue-list")
    expect(queue_list).to_contain_text("Charged twice")
    if live_mode == "push":
        page.wait_for_function("() => window.helpdeskLive.connected")
    page.evaluate("window.notReloaded = true")

    make_ticket(subject="Router blinking red", language="en")

    # By push at once; by polling at the page's next look (every 20 seconds).
    expect(queue_list).to_contain_text(
        "Router blinking red", timeout=3_000 if live_mode == "push" else 25_000
    )
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("window.helpdeskLive.connected") is (live_mode == "push")


@pytest.fixture
def chat(chat_queue):  # noqa: F811 (the fixture imported above)
    return chat_channel.start_chat(
        queue=chat_queue, name="Emma Clarke", email="", message="My bill is twice as high.", source_ip=None
    )


def polls_during(page, milliseconds: int) -> int:
    polls = []

    def count(request):
        if "/poll/" in request.url:
            polls.append(request.url)

    page.on("request", count)
    page.wait_for_timeout(milliseconds)
    page.remove_listener("request", count)
    return len(polls)


@pytest.mark.parametrize("failure", ["refused", "unreachable"])
def test_a_page_whose_push_channel_fails_polls_as_without_push(phone_page, agent, chat, settings, failure):
    settings.LIVE_PUSH = True
    settings.LIVE_CONNECTED_POLL_SECONDS = 3600  # were the stream taken for open, nothing would come
    # The push channel answers with an error, or cannot be reached at all.
    phone_page.route(
        "**/events/**",
        (lambda route: route.fulfill(status=500, body=""))
        if failure == "refused"
        else (lambda route: route.abort()),
    )
    phone_page.goto(f"/chat/{chat.token}/")
    expect(phone_page.get_by_test_id("chat-messages")).to_contain_text("My bill is twice as high.")

    assert polls_during(phone_page, 3_000) >= 2  # every second, as without push
    assert phone_page.evaluate("window.helpdeskLive.connected") is False

    chat.post_agent_message(by=agent, body="Hello Emma, I am Anna.")
    expect(phone_page.get_by_test_id("chat-messages")).to_contain_text(
        "Hello Emma, I am Anna.", timeout=2_000
    )


def test_a_hidden_tab_stops_polling_and_catches_up_when_shown(phone_page, agent, chat, settings):
    settings.LIVE_PUSH = False  # the page polls every second while shown
    phone_page.goto(f"/chat/{chat.token}/")
    expect(phone_page.get_by_test_id("chat-messages")).to_contain_text("My bill is twice as high.")
    assert polls_during(phone_page, 2_500) >= 2

    # The tab goes to the background (as the browser says when another tab is brought forward).
    phone_page.evaluate(
        "Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    polls_while_hidden = polls_during(phone_page, 4_000)
    chat.post_agent_message(by=agent, body="Hello Emma, I am Anna.")
    polls_while_hidden += polls_during(phone_page, 2_000)
    assert polls_while_hidden == 0
    expect(phone_page.get_by_test_id("chat-messages")).not_to_contain_text("Hello Emma")

    # Brought forward again: it asks at once for what it missed.
    phone_page.evaluate(
        "Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    expect(phone_page.get_by_test_id("chat-messages")).to_contain_text(
        "Hello Emma, I am Anna.", timeout=1_500
    )


def test_an_agent_sees_a_colleague_open_the_same_request_and_start_a_reply(
    new_page, agent, other_agent, make_ticket, live_mode
):
    ticket = make_ticket(subject="Charged twice", language="en")
    anna, bence = new_page(), new_page()
    sign_in(anna)
    anna.goto(ticket.get_absolute_url())
    if live_mode == "push":
        anna.wait_for_function("() => window.helpdeskLive.connected")
    viewers = anna.locator("#viewers")
    expect(viewers).to_have_text("")

    sign_in(bence, "bence")
    bence.goto(ticket.get_absolute_url())

    # By push at once; by polling at the page's next "still here" (every 10 seconds).
    soon = 3_000 if live_mode == "push" else 12_000
    expect(viewers).to_contain_text("Bence is viewing", timeout=soon)
    bence.get_by_label("Reply to the customer").fill("Dear Katalin,")
    expect(viewers).to_contain_text("Bence is writing a reply", timeout=soon)


def test_with_push_the_ticket_page_says_still_here_by_its_stream_and_sees_a_colleague_leave(
    new_page, agent, other_agent, make_ticket, settings, monkeypatch
):
    """Connected, the page makes no presence request of its own while nobody else is there (its
    stream says "still here"); a colleague arriving is pushed, and one who closes the page goes
    stale and is no longer shown (the page looks every 10 s while it shows a colleague)."""
    settings.LIVE_PUSH = True
    settings.LIVE_CONNECTED_POLL_SECONDS = 3600
    # A site's 10 s "still here" and 30 s staleness, shortened so that a departure shows sooner.
    monkeypatch.setattr(presence, "STILL_HERE_EVERY", timedelta(seconds=1))
    monkeypatch.setattr(presence, "VIEWER_STALE_AFTER", timedelta(seconds=3))
    ticket = make_ticket(subject="Charged twice", language="en")
    anna, bence = new_page(), new_page()
    sign_in(anna)
    anna.goto(ticket.get_absolute_url())
    anna.wait_for_function("() => window.helpdeskLive.connected")
    presence_requests = []
    anna.on("request", lambda request: "/presence/" in request.url and presence_requests.append(request.url))

    anna.wait_for_timeout(11_000)  # past the page's 10 s poll
    assert presence_requests == []

    sign_in(bence, "bence")
    bence.goto(ticket.get_absolute_url())
    viewers = anna.locator("#viewers")
    expect(viewers).to_contain_text("Bence is viewing", timeout=3_000)
    bence.wait_for_timeout(4_000)  # his own stream keeps him there past the staleness
    expect(viewers).to_contain_text("Bence is viewing")

    bence.context.close()  # he closes the request

    expect(viewers).not_to_contain_text("Bence", timeout=16_000)
