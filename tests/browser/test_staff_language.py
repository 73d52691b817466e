"""A real browser: an agent signs in, switches to Hungarian, and the pages speak Hungarian."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_agent_signs_in_and_switches_to_hungarian(page, agent):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello, Anna")).to_be_visible()

    page.get_by_test_id("language-switcher").get_by_role("button", name="Magyar").click()

    expect(page.get_by_role("heading", name="Szia, Anna")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "hu")
    page.reload()
    expect(page.get_by_role("link", name="Munkaterület").first).to_be_visible()


def test_customer_home_fits_a_phone_with_a_collapsed_menu(phone_page, db):
    phone_page.goto("/")
    expect(phone_page.get_by_role("heading", name="How can we help you today?")).to_be_visible()
    menu_button = phone_page.get_by_role("button", name="Show menu")
    expect(menu_button).to_be_visible()
    menu_button.click()
    expect(phone_page.get_by_role("link", name="Staff sign in")).to_be_visible()
    page_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375
