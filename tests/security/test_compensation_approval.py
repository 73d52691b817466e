"""Who may grant compensation, up to what, and when a second manager must approve.

The review's reproduction: a manager gave themselves an agent limit (bill credit, HUF 99,999,999
at /crisis/compensation/limits/), proposed 9,000,000 HUF and it was approved on the spot,
decided by the same person. Now nobody sets their own limit, a grant above the second-approval
amount needs two managers other than its proposer, and an agent's limit counts what they
already granted the same customer in the same incident.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from crisis.compensation import services
from crisis.models import ApprovalThreshold, AuditEntry, CompensationProposal, GrantLimit, IncidentTicket
from helpdesk.models import Notification
from tests.crisis.compensation.conftest import credit

pytestmark = pytest.mark.django_db

LIMITS = "/crisis/compensation/limits/"
THRESHOLDS = "/crisis/compensation/thresholds/"


@pytest.fixture
def affected(make_ticket, incident):
    ticket = make_ticket()
    IncidentTicket.objects.create(incident=incident, ticket=ticket, via=IncidentTicket.Via.AGENT)
    return ticket


def big_limit(user):
    return {"agent": user.pk, "kind": "bill_credit", "currency": "HUF", "max_amount": "99999999"}


def propose(client, ticket, incident, amount, justification="Charged twice for November."):
    return client.post(
        f"/crisis/tickets/{ticket.reference}/compensation/new/",
        {
            "incident": incident.pk,
            "kind": "bill_credit",
            "amount": amount,
            "currency": "HUF",
            "justification": justification,
        },
    )


# --- limits ---------------------------------------------------------------------------------


def test_a_manager_cannot_give_themselves_a_limit(client, manager, incident, affected):
    client.force_login(manager)

    response = client.post(LIMITS, big_limit(manager))

    assert response.status_code == 400
    assert "nobody sets their own limit" in response.text
    assert 'value="99999999"' in response.text  # what was typed stays
    assert not GrantLimit.objects.exists()
    assert not AuditEntry.objects.filter(action="limit_set").exists()
    # …and so the reproduction's 9,000,000 HUF waits for other managers.
    propose(client, affected, incident, "9000000")
    proposal = CompensationProposal.objects.get()
    assert proposal.state == CompensationProposal.State.PENDING
    assert proposal.decided_by is None
    assert not Notification.objects.filter(ticket=affected).exists()


def test_another_manager_sets_the_limit_and_it_is_on_the_audit_trail(client, agent, manager):
    client.force_login(manager)

    response = client.post(LIMITS, {**big_limit(agent), "max_amount": "5000"})

    assert response.status_code == 302
    limit = GrantLimit.objects.get()
    assert (limit.agent, limit.set_by, limit.max_amount) == (agent, manager, Decimal(5000))
    entry = AuditEntry.objects.get(action="limit_set")
    assert entry.actor == manager
    assert entry.after["max_amount"] == "5000.00"


def test_a_limit_above_the_second_approval_amount_does_not_grant_alone(
    client, manager, second_manager, incident, affected
):
    """Even a limit set by a colleague stops at the second-approval amount."""
    client.force_login(second_manager)
    assert client.post(LIMITS, big_limit(manager)).status_code == 302
    client.force_login(manager)

    propose(client, affected, incident, "9000000")

    proposal = CompensationProposal.objects.get()
    assert proposal.state == CompensationProposal.State.PENDING
    assert not proposal.granted_on_the_spot
    assert proposal.needs_second_approval


# --- two managers above the amount ------------------------------------------------------------


def test_a_managers_large_proposal_needs_two_other_managers(
    client, manager, second_manager, third_manager, incident, affected
):
    client.force_login(manager)
    propose(client, affected, incident, "9000000")
    proposal = CompensationProposal.objects.get()
    approve = f"/crisis/compensation/{proposal.pk}/approve/"

    response = client.post(approve, follow=True)  # the proposer
    assert "another manager has to decide" in response.text
    client.force_login(second_manager)
    response = client.post(approve, {"note": "Checked the bills."}, follow=True)
    assert "a second manager" in response.text
    proposal.refresh_from_db()
    assert proposal.state == CompensationProposal.State.PENDING
    assert proposal.first_approved_by == second_manager
    assert not Notification.objects.filter(ticket=affected).exists()

    response = client.post(approve, follow=True)  # the same manager again
    assert "You approved this already" in response.text
    proposal.refresh_from_db()
    assert proposal.state == CompensationProposal.State.PENDING

    client.force_login(third_manager)
    client.post(approve, {"note": "Agreed."})

    proposal.refresh_from_db()
    assert proposal.state == CompensationProposal.State.APPROVED
    assert proposal.decided_by == third_manager
    actions = list(AuditEntry.objects.filter(proposal=proposal).values_list("action", "actor__username"))
    assert actions == [("proposed", "marek"), ("first_approved", "zofia"), ("approved", "tamas")]
    assert Notification.objects.filter(ticket=affected).count() == 1


def test_a_managers_approval_of_an_agents_large_proposal_needs_a_second_manager(
    client, agent, manager, second_manager, incident, affected
):
    client.force_login(agent)
    propose(client, affected, incident, "500000")
    proposal = CompensationProposal.objects.get()
    approve = f"/crisis/compensation/{proposal.pk}/approve/"

    client.force_login(manager)
    client.post(approve)
    proposal.refresh_from_db()
    assert proposal.state == CompensationProposal.State.PENDING
    client.force_login(second_manager)
    client.post(approve)

    proposal.refresh_from_db()
    assert proposal.state == CompensationProposal.State.APPROVED
    assert (proposal.first_approved_by, proposal.decided_by) == (manager, second_manager)


def test_below_the_amount_one_manager_decides(client, agent, manager, incident, affected):
    client.force_login(agent)
    propose(client, affected, incident, "20000")
    proposal = CompensationProposal.objects.get()
    assert not proposal.needs_second_approval

    client.force_login(manager)
    client.post(f"/crisis/compensation/{proposal.pk}/approve/")

    proposal.refresh_from_db()
    assert proposal.state == CompensationProposal.State.APPROVED


def test_the_amount_counts_what_the_customer_already_got_in_the_incident(
    client, agent, manager, second_manager, incident, affected
):
    """Ten grants of 90,000 are not ten small decisions: the second goes above 100,000."""
    client.force_login(agent)
    propose(client, affected, incident, "90000")
    propose(client, affected, incident, "90000")
    first, second = CompensationProposal.objects.order_by("pk")
    client.force_login(manager)
    client.post(f"/crisis/compensation/{first.pk}/approve/")

    client.post(f"/crisis/compensation/{second.pk}/approve/")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == CompensationProposal.State.APPROVED
    assert second.state == CompensationProposal.State.PENDING
    assert second.first_approved_by == manager


# --- the cumulative limit ---------------------------------------------------------------------


def test_three_small_credits_to_one_customer_count_against_one_limit(
    client, agent, manager, incident, affected, make_ticket
):
    GrantLimit.objects.create(
        agent=agent, kind="bill_credit", currency="HUF", max_amount=Decimal(5000), set_by=manager
    )
    client.force_login(agent)

    for _ in range(3):
        propose(client, affected, incident, "2000")

    states = list(CompensationProposal.objects.order_by("pk").values_list("state", flat=True))
    assert states == ["approved", "approved", "pending"]
    assert Notification.objects.filter(ticket=affected).count() == 2
    # Another customer has a limit of their own.
    other = make_ticket(email="peter@example.hu", name="Péter Kiss")
    IncidentTicket.objects.create(incident=incident, ticket=other, via=IncidentTicket.Via.AGENT)
    propose(client, other, incident, "2000")
    assert CompensationProposal.objects.get(ticket=other).state == "approved"


def test_a_rejected_grant_does_not_count(affected, incident, agent, manager):
    GrantLimit.objects.create(
        agent=agent, kind="bill_credit", currency="HUF", max_amount=Decimal(5000), set_by=manager
    )
    services.propose(ticket=affected, incident=incident, offer=credit(6000), by=agent).reject(
        by=manager, note="Too much."
    )

    granted = services.propose(ticket=affected, incident=incident, offer=credit(5000), by=agent)

    assert granted.state == CompensationProposal.State.APPROVED


# --- the second-approval amounts --------------------------------------------------------------


def test_managers_set_the_amount_per_currency_and_kind_on_the_audit_trail(
    client, agent, manager, incident, affected
):
    client.force_login(manager)

    response = client.post(THRESHOLDS, {"kind": "bill_credit", "currency": "HUF", "above_amount": "10000"})

    assert response.status_code == 302
    threshold = ApprovalThreshold.objects.get()
    assert (threshold.kind, threshold.currency, threshold.above_amount) == ("bill_credit", "HUF", 10000)
    entry = AuditEntry.objects.get(action="threshold_set")
    assert (entry.actor, entry.before["in_force"], entry.after["in_force"]) == (
        manager,
        "100000.00",
        "10000.00",
    )
    page = client.get(THRESHOLDS)
    assert "10\u00a0000 HUF" in page.text
    # Stricter applies at once.
    client.force_login(agent)
    propose(client, affected, incident, "20000")
    assert CompensationProposal.objects.get().needs_second_approval


def test_raising_the_amount_takes_effect_a_day_later(client, manager, second_manager, incident, affected):
    """Nobody raises the amount and then approves alone in the same minute."""
    client.force_login(manager)
    client.post(THRESHOLDS, {"kind": "bill_credit", "currency": "HUF", "above_amount": "20000000"})
    client.force_login(second_manager)
    propose(client, affected, incident, "9000000")
    proposal = CompensationProposal.objects.get()

    assert proposal.needs_second_approval
    assert "takes effect" in client.get(THRESHOLDS).text
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert not proposal.needs_second_approval


def test_agents_cannot_see_or_set_the_amounts(client, agent):
    client.force_login(agent)
    assert client.get(THRESHOLDS).status_code == 403
    assert (
        client.post(THRESHOLDS, {"kind": "bill_credit", "currency": "HUF", "above_amount": "1"}).status_code
        == 403
    )
    assert not ApprovalThreshold.objects.exists()


def test_a_rejected_amount_form_keeps_what_was_typed(client, manager):
    client.force_login(manager)

    response = client.post(THRESHOLDS, {"kind": "bill_credit", "currency": "HUF", "above_amount": "-5"})

    assert response.status_code == 400
    assert 'value="-5"' in response.text
    assert not ApprovalThreshold.objects.exists()
