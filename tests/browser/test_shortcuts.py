"""A real browser: the agent's keyboard shortcuts, their list behind "?", and a reply box that
takes the same letters as plain text."""

import pytest
from playwright.sync_api import expect

from helpdesk.models import Priority

pytestmark = pytest.mark.browser


def sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("queue-list")).to_be_visible()
    # The list can show before the deferred shortcuts script has run; a key pressed then is lost.
    page.wait_for_load_state("load")


@pytest.fixture
def two_tickets(make_ticket):
    urgent = make_ticket(
        subject="No internet since morning", priority=Priority.URGENT, email="jozsef@example.hu"
    )
    plain = make_ticket(subject="Charged twice", email="katalin@example.hu")
    return urgent, plain


def test_question_mark_lists_the_shortcuts(page, agent, two_tickets):
    sign_in(page)
    help = page.get_by_test_id("shortcuts-help")
    expect(help).to_be_hidden()

    page.keyboard.press("?")

    expect(help).to_be_visible()
    expect(help).to_contain_text("Take the next request")
    expect(help).to_contain_text("Next / previous request in the list")
    page.keyboard.press("Escape")
    expect(help).to_be_hidden()


def test_the_agent_moves_through_the_list_and_answers_from_the_keyboard(page, agent, two_tickets):
    urgent, plain = two_tickets
    sign_in(page)

    page.keyboard.press("j")
    expect(page.get_by_test_id("queue-row").first).to_have_class("table-active")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/agent/tickets/{urgent.reference}/")

    page.keyboard.press("j")  # the next request of the list just left
    expect(page).to_have_url(f"/agent/tickets/{plain.reference}/")
    page.keyboard.press("k")
    expect(page).to_have_url(f"/agent/tickets/{urgent.reference}/")

    page.keyboard.press("r")
    reply = page.get_by_label("Reply to the customer")
    expect(reply).to_be_focused()
    reply.press_sequentially("Hello, the line is back.")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_test_id("timeline")).to_contain_text("Hello, the line is back.")


def test_letters_typed_in_the_reply_box_are_text_not_shortcuts(page, agent, two_tickets):
    urgent, _plain = two_tickets
    sign_in(page)
    page.goto(f"/agent/tickets/{urgent.reference}/")
    reply = page.get_by_label("Reply to the customer")
    reply.click()

    reply.press_sequentially("jk tn r?")

    expect(reply).to_have_value("jk tn r?")
    expect(reply).to_be_focused()
    expect(page.get_by_test_id("shortcuts-help")).to_be_hidden()
    expect(page).to_have_url(f"/agent/tickets/{urgent.reference}/")


def test_t_takes_the_next_request(page, agent, two_tickets):
    urgent, _plain = two_tickets
    sign_in(page)

    page.keyboard.press("t")

    expect(page).to_have_url(f"/agent/tickets/{urgent.reference}/")
