"""A real browser: an agent finds a customer by typing their name without its accents."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_agent_finds_adam_by_typing_adam(page, agent, make_ticket):
    make_ticket(subject="Hibás számla", name="Kovács Ádám", email="k.a@example.hu")
    make_ticket(subject="Router offline", name="Nagy Éva", email="eva@example.hu")

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(2)

    page.get_by_label("Search").press_sequentially("adam")
    page.get_by_label("Search").press("Enter")

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kovács Ádám")
    expect(rows.first).to_contain_text("Hibás számla")
