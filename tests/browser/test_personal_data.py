"""Personal data in a real browser: two managers erase a customer from the customer page, and a
customer's expired download link gets a clear page in their language."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpdesk.personal_data.links import signed_token

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def test_one_manager_asks_another_confirms_and_the_customer_is_erased(
    new_page, manager, second_manager, make_ticket, assert_accessible
):
    customer = make_ticket().customer
    marek = new_page()
    sign_in(marek, "marek")
    marek.goto(f"/agent/customers/{customer.pk}/")
    panel = marek.get_by_test_id("personal-data")
    expect(panel.get_by_role("link", name="Download everything we hold about them (zip)")).to_be_visible()
    panel.get_by_role("button", name="Ask to erase their personal data").click()
    expect(marek.get_by_test_id("personal-data")).to_contain_text("A second manager has to confirm it")
    expect(marek.get_by_role("button", name="Confirm: erase for good")).to_have_count(0)
    assert_accessible(marek)

    zofia = new_page()
    sign_in(zofia, "zofia")
    zofia.goto(f"/agent/customers/{customer.pk}/")
    zofia.get_by_role("button", name="Confirm: erase for good").click()

    expect(zofia.get_by_role("heading", name=f"erased customer #{customer.pk}")).to_be_visible()
    expect(zofia.get_by_test_id("customer-details")).not_to_contain_text("katalin@example.hu")
    assert_accessible(zofia)


@pytest.mark.parametrize("language", ["hu", "pl"])
def test_an_expired_download_link_says_so_in_the_customers_language(
    page_in, make_ticket, assert_accessible, time_machine, language, settings
):
    customer = make_ticket().customer
    time_machine.move_to(timezone.now() - timedelta(days=settings.PERSONAL_DATA_LINK_DAYS + 1))
    token = signed_token(customer)
    time_machine.move_to(timezone.now() + timedelta(days=settings.PERSONAL_DATA_LINK_DAYS + 1))
    page = page_in(language)

    response = page.goto(f"/my-data/{token}/")

    assert response.status == 410
    expect(page.get_by_test_id("personal-data-link-problem")).to_be_visible()
    assert_accessible(page)
