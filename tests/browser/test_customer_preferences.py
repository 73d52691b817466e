"""A customer's preferences, in a real browser: the agent changes them at the customer's request,
is asked how the customer asked when they forgot to say (the page answers the same without the
browser's check: tests/helpdesk/personal_data/test_preferences.py), and finds the change recorded."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_agent_changes_a_customers_preferences_at_their_request(
    page, agent, make_ticket, assert_accessible
):
    ticket = make_ticket(subject="Charged twice", language="hu")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/agent/customers/{ticket.customer.pk}/")
    preferences = page.get_by_test_id("customer-preferences")

    preferences.get_by_label("Language of our messages").select_option("pl")
    preferences.get_by_label("No follow-up surveys").check()
    preferences.get_by_role("button", name="Change the preferences").click()

    # The browser itself asks for the customer's request first; nothing typed is lost.
    request = preferences.get_by_label("How the customer asked")
    assert request.evaluate("field => field.validity.valueMissing")
    expect(preferences.get_by_label("Language of our messages")).to_have_value("pl")
    expect(preferences.get_by_label("No follow-up surveys")).to_be_checked()
    preferences.get_by_label("How the customer asked").fill("Asked on the phone today")
    preferences.get_by_role("button", name="Change the preferences").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Preferences changed: Language: Polish; opted out of surveys."
    )
    changes = page.get_by_test_id("preference-changes")
    expect(changes).to_contain_text("Anna")
    expect(changes).to_contain_text("Asked on the phone today")
    assert_accessible(page)
