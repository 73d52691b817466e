"""Compensation end to end in a real browser: an agent proposes more than they may grant, the
customer's status page says compensation is being decided, a manager approves it in the queue,
and the customer is told by email in their language."""

from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from crisis.models import Briefing, CompensationProposal, GrantLimit, Incident, IncidentTicket
from helpdesk.mail import delivery
from helpdesk.models import Notification
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.long
def test_a_proposal_above_the_limit_is_decided_by_a_manager_and_the_customer_hears_it(
    new_page, agent, manager, make_ticket, assert_accessible
):
    incident = Incident.objects.create(title="Double charge on November bills", declared_by=manager)
    ticket = make_ticket(name="Katalin Szabó", email="katalin@example.hu", language="hu")
    IncidentTicket.objects.create(incident=incident, ticket=ticket, via=IncidentTicket.Via.AGENT)
    GrantLimit.objects.create(
        agent=agent, kind="bill_credit", currency="HUF", max_amount=Decimal(5000), set_by=manager
    )
    Briefing.publish(
        incident=incident,
        by=manager,
        what_we_know="Some bills were charged twice.",
        what_to_say="Refunds run.",
    )
    customer = new_page()
    agent_page = new_page()
    manager_page = new_page()

    # The agent proposes 20,000 HUF from the ticket: four times what they may grant alone.
    sign_in(agent_page, "anna")
    agent_page.goto(f"/agent/tickets/{ticket.reference}/")
    expect(agent_page.get_by_test_id("briefing-notice")).to_contain_text("Double charge on November bills")
    assert_accessible(agent_page)
    agent_page.get_by_role("button", name="I have read this version").first.click()
    expect(agent_page.get_by_test_id("briefing-notice")).to_have_count(0)
    agent_page.get_by_test_id("propose-compensation").click()
    expect(agent_page.get_by_test_id("my-limits")).to_contain_text("5\u00a0000 HUF")
    agent_page.get_by_label("Kind").select_option(label="Bill credit")
    agent_page.get_by_label("Amount").fill("20000")
    agent_page.get_by_label("Currency").select_option("HUF")
    agent_page.get_by_label("Justification").fill("Charged twice, and two hours on hold.")
    agent_page.get_by_role("button", name="Propose").click()
    expect(agent_page.get_by_test_id("ticket-proposals")).to_contain_text("Waiting for a manager")

    # The customer's status page says that compensation is being decided.
    customer.goto(f"/status/{ticket.status_token}/")
    expect(customer.get_by_test_id("status-compensation")).to_contain_text("We are deciding on compensation")
    assert_accessible(customer)

    # A manager approves it from the queue.
    sign_in(manager_page, "marek")
    manager_page.goto("/crisis/compensation/")
    expect(manager_page.get_by_test_id("totals-incident")).to_contain_text("20,000 HUF")
    manager_page.get_by_label(f"Select {ticket.reference}").check()
    manager_page.get_by_label("Approve", exact=True).check()
    manager_page.get_by_label("Note").fill("Fair for the time lost.")
    manager_page.get_by_role("button", name="Apply to ticked").click()
    expect(manager_page.get_by_text("1 done.")).to_be_visible()
    assert_accessible(manager_page)

    proposal = CompensationProposal.objects.get()
    assert proposal.state == CompensationProposal.State.APPROVED
    assert proposal.decided_by == manager

    # The customer is told, in Hungarian, through the outbox the worker delivers.
    notification = Notification.objects.get(ticket=ticket, kind=Notification.Kind.STATUS)
    assert notification.language == "hu"
    delivery.deliver(notification.pk)
    assert [message.to for message in mail.outbox] == [["katalin@example.hu"]]
    assert "20\u00a0000 HUF" in mail.outbox[0].body
    customer.reload()
    expect(customer.get_by_test_id("status-compensation")).to_contain_text("We are giving you compensation")

    # The post-incident report counts it, and reads well without scripts.
    manager_page.goto(f"/crisis/incidents/{incident.pk}/report/")
    expect(manager_page.get_by_test_id("compensation-summary")).to_contain_text("Approved: 1")
    assert_accessible(manager_page)
