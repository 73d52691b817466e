"""Merging a duplicate in a real browser: the agent sees both requests and confirms before the
duplicate is closed for good; the confirmation works without any script of the page's own."""

import pytest
from playwright.sync_api import expect

from helpdesk.models import Ticket

pytestmark = pytest.mark.browser


def test_an_agent_confirms_a_merge_before_the_duplicate_is_closed(
    page, agent, make_ticket, assert_accessible
):
    original = make_ticket(subject="Charged twice")
    duplicate = make_ticket(subject="Charged twice!!", body="Still nobody answered about my double charge.")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/agent/tickets/{duplicate.reference}/")

    page.get_by_label("Duplicate of (reference)").fill(original.reference)
    page.get_by_role("button", name="Merge into").click()

    expect(
        page.get_by_role("heading", name=f"Merge {duplicate.reference} into {original.reference}?")
    ).to_be_visible()
    expect(page.get_by_test_id("merge-summary")).to_contain_text("Charged twice!!")
    assert Ticket.objects.get(pk=duplicate.pk).merged_into is None
    assert_accessible(page)

    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_label("Duplicate of (reference)")).to_be_visible()
    assert Ticket.objects.get(pk=duplicate.pk).merged_into is None

    page.get_by_label("Duplicate of (reference)").fill(original.reference)
    page.get_by_role("button", name="Merge into").click()
    page.get_by_role("button", name="Yes, merge").click()

    expect(page.get_by_role("alert")).to_contain_text(
        f"Merged into {original.reference}; this request is closed."
    )
    assert Ticket.objects.get(pk=duplicate.pk).merged_into == original
