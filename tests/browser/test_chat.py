"""Live chat in real browsers: a customer on a phone and an agent in the workspace talk; the
agent puts the customer on hold with a countdown and is reminded when it runs out."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpdesk.models import BusinessCalendar, Chat, OpeningHours, Queue
from helpdesk.public_holidays import NationalDays

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# "Within about two seconds": one poll a second, plus the round trip.
LIVE = 2_000


@pytest.fixture
def chat_queue(manager, monkeypatch):
    """A chat queue open around the clock, every day, so the test does not depend on the hour."""
    calendar = BusinessCalendar.objects.create(name="Always", country="HU", time_zone="Europe/Budapest")
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=day, opens=time(0), closes=time(0)) for day in range(7)
    )
    # Not even on a public holiday: the test must pass on Christmas Day too.
    monkeypatch.setattr(NationalDays, "is_holiday", lambda self, day: False)
    return Queue.objects.create(
        name="Chat", slug="chat", calendar=calendar, manager=manager, is_default=True, serves_chat=True
    )


def sign_in(page, username="anna"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def start_chat(page, *, name="Emma Clarke", email="emma@example.com", message="My bill is twice as high."):
    page.goto("/")
    page.get_by_role("link", name="Chat with us").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address (optional)").fill(email)
    page.get_by_label("How can we help?").fill(message)
    page.get_by_role("button", name="Start the chat").click()


@pytest.mark.long
def test_a_customer_and_an_agent_chat_by_push_or_by_polling(
    new_page, phone_page, agent, chat_queue, live_mode
):
    customer = phone_page
    agent_page = new_page()

    start_chat(customer)
    expect(customer.get_by_test_id("chat-messages")).to_contain_text("My bill is twice as high.")
    sign_in(agent_page)
    agent_page.get_by_role("button", name="Take next").click()
    panel = agent_page.get_by_test_id("chat-panel")
    expect(panel.get_by_test_id("chat-messages")).to_contain_text("My bill is twice as high.")
    expect(customer.get_by_test_id("chat-agent")).to_have_text("Anna has joined the chat.", timeout=LIVE)
    # The agent's page opens its stream as it loads, beside the poll that joins the chat: on a busy
    # machine the customer can hear of the join before that stream has said it is ready.
    if live_mode == "push":
        customer.wait_for_function("() => window.helpdeskLive.connected")
        agent_page.wait_for_function("() => window.helpdeskLive.connected")
    else:
        assert customer.evaluate("window.helpdeskLive.connected") is False
        assert agent_page.evaluate("window.helpdeskLive.connected") is False

    # While nothing happens, a pushed page asks nothing; a polling one asks every second. (First
    # the look it may owe its queue, which changed when the agent joined: at most 3 s later.)
    customer.wait_for_timeout(3_500)
    polls = []
    customer.on("request", lambda request: polls.append(request.url) if "/poll/" in request.url else None)
    customer.wait_for_timeout(3_000)
    assert len(polls) == 0 if live_mode == "push" else len(polls) >= 2

    # The customer types, then sends: the agent's open page shows both.
    box = customer.get_by_label("Your message")
    box.fill("My account number")
    expect(panel.get_by_test_id("chat-typing")).to_have_text("Emma Clarke is typing…", timeout=LIVE)
    box.fill("My account number is 1234.")
    customer.get_by_role("button", name="Send", exact=True).click()
    expect(panel.get_by_test_id("chat-messages")).to_contain_text("My account number is 1234.", timeout=LIVE)
    expect(panel.get_by_test_id("chat-typing")).to_have_text("", timeout=LIVE)

    # The agent answers and puts the customer on hold.
    agent_page.get_by_label("Chat message").fill("Thank you, Emma.")
    expect(customer.get_by_test_id("chat-typing")).to_have_text("Anna is typing…", timeout=LIVE)
    agent_page.get_by_role("button", name="Send", exact=True).click()
    expect(customer.get_by_test_id("chat-messages")).to_contain_text("Thank you, Emma.", timeout=LIVE)
    agent_page.get_by_text("Put the customer on hold").click()
    agent_page.get_by_label("Back in about").select_option(label="2 minutes")
    agent_page.get_by_role("button", name="Post hold notice").click()
    expect(customer.get_by_test_id("hold-countdown")).to_be_visible(timeout=LIVE)

    # The customer leaves: the agent's page says so.
    customer.get_by_role("button", name="End chat").click()
    expect(panel.get_by_test_id("chat-ended")).to_be_visible(timeout=LIVE)


@pytest.mark.long
def test_a_customer_and_an_agent_chat_with_a_hold_notice(new_page, phone_page, agent, chat_queue, settings):
    # Below, the server's clock jumps past the hold, which no event announces: polling pages
    # notice at their next look (a pushed page looks again when the hold runs out, in real time).
    settings.LIVE_PUSH = False
    customer = phone_page
    agent_page = new_page()

    start_chat(customer)
    expect(customer.get_by_test_id("chat-messages")).to_contain_text("My bill is twice as high.")
    expect(customer.get_by_test_id("chat-position")).to_contain_text("Your place in line: 1.")

    sign_in(agent_page)
    agent_page.get_by_role("button", name="Take next").click()
    ticket = Chat.objects.select_related("ticket").get().ticket
    expect(agent_page.get_by_role("heading", name=ticket.reference)).to_be_visible()
    panel = agent_page.get_by_test_id("chat-panel")
    expect(panel.get_by_test_id("chat-messages")).to_contain_text("My bill is twice as high.")
    expect(customer.get_by_test_id("chat-agent")).to_have_text("Anna has joined the chat.", timeout=LIVE)

    # The agent types: the customer sees it; then the line crosses within two seconds.
    box = agent_page.get_by_label("Chat message")
    box.fill("Hello Emma, I am Anna.")
    expect(customer.get_by_test_id("chat-typing")).to_have_text("Anna is typing…", timeout=LIVE)
    agent_page.get_by_role("button", name="Send", exact=True).click()
    expect(customer.get_by_test_id("chat-messages")).to_contain_text("Hello Emma, I am Anna.", timeout=LIVE)
    expect(box).to_have_value("")

    # And the other way.
    customer.get_by_label("Your message").fill("My account number is 1234.")
    customer.get_by_role("button", name="Send", exact=True).click()
    expect(panel.get_by_test_id("chat-messages")).to_contain_text("My account number is 1234.", timeout=LIVE)

    # The hold notice: the customer sees what the agent is doing and a countdown.
    agent_page.get_by_text("Put the customer on hold").click()
    agent_page.get_by_label("What are you checking?").select_option(label="I am checking your bill")
    agent_page.get_by_label("Back in about").select_option(label="2 minutes")
    agent_page.get_by_role("button", name="Post hold notice").click()
    expect(customer.get_by_test_id("chat-messages")).to_contain_text(
        "I am checking your bill, back in about 2 minutes.", timeout=LIVE
    )
    countdown = customer.get_by_test_id("hold-countdown")
    expect(countdown).to_have_text(re.compile(r"^[12]:\d\d$"), timeout=LIVE)
    expect(countdown).to_have_attribute("role", "timer")
    first = countdown.text_content()
    expect(countdown).not_to_have_text(first, timeout=LIVE)  # it ticks
    expect(customer.get_by_test_id("chat-status")).to_have_attribute("aria-live", "polite")

    # Time travel on the server: the promised time has run out; the agent's panel reminds them.
    Chat.objects.update(hold_until=timezone.now() - timedelta(seconds=1))
    expect(panel.get_by_test_id("hold-over")).to_contain_text("go back to the customer", timeout=LIVE)
    expect(customer.get_by_test_id("hold-notice")).to_contain_text("any moment now", timeout=LIVE)

    # The customer leaves: both sides see the end; the conversation stays on the ticket.
    customer.get_by_role("button", name="End chat").click()
    expect(customer.get_by_test_id("chat-ended")).to_be_visible()
    expect(panel.get_by_test_id("chat-ended")).to_be_visible(timeout=LIVE)
    agent_page.reload()
    expect(agent_page.get_by_test_id("timeline")).to_contain_text("My account number is 1234.")


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_the_chat_start_page_is_accessible(page_in, assert_accessible, chat_queue, language):
    page = page_in(language)
    page.goto("/chat/")

    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("form textarea")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_the_chat_start_page_is_accessible_when_closed(
    page_in, assert_accessible, manager, budapest_calendar, language
):
    from helpdesk.models import Closure

    Closure.objects.create(
        calendar=budapest_calendar,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1),
        reason="Moving office",
    )
    Queue.objects.create(
        name="Chat", slug="chat", calendar=budapest_calendar, manager=manager, is_default=True
    )
    page = page_in(language)
    page.goto("/chat/")

    expect(page.get_by_test_id("chat-closed")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_the_conversation_page_is_accessible(page_in, assert_accessible, agent, chat_queue, language):
    page = page_in(language)
    page.goto("/chat/")
    page.locator("#id_name").fill("Kovács Anna")
    page.locator("#id_message").fill("Nem működik az internet.")
    page.locator("main form button[type=submit]").click()
    chat = Chat.objects.select_related("ticket").get()
    chat.post_agent_message(by=agent, body="Hello!")
    chat.put_on_hold(by=agent, reason="systems", minutes=5)

    expect(page.get_by_test_id("hold-countdown")).to_be_visible(timeout=LIVE)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
