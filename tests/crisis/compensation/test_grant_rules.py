"""The rules of compensation: the agent's limit, who may decide, and what the customer hears."""

from decimal import Decimal

import pytest
from django.core import mail

from crisis.compensation import services
from crisis.compensation.services import Offer
from crisis.models import AuditEntry, CompensationProposal, GrantLimit
from helpdesk.models import InvalidTransition, Notification
from tests.crisis.compensation.conftest import credit

pytestmark = pytest.mark.django_db


def test_within_the_limit_the_agent_grants_on_the_spot(affected, incident, agent, agent_limit):
    proposal = services.propose(ticket=affected, incident=incident, offer=credit(5000), by=agent)

    assert proposal.state == CompensationProposal.State.APPROVED
    assert proposal.granted_on_the_spot
    assert proposal.decided_by == agent
    entry = AuditEntry.objects.get(proposal=proposal)
    assert entry.action == AuditEntry.Action.GRANTED
    assert entry.after["state"] == "approved"
    # The customer hears it in their language (Hungarian), through the outbox.
    notification = Notification.objects.get(ticket=affected)
    assert notification.language == "hu"
    assert "5\u00a0000 HUF" in notification.body_text


def test_one_forint_above_the_limit_waits_for_a_manager(affected, incident, agent, agent_limit, manager):
    proposal = services.propose(ticket=affected, incident=incident, offer=credit(5001), by=agent)

    assert proposal.state == CompensationProposal.State.PENDING
    assert not proposal.granted_on_the_spot
    assert proposal.decider == manager  # the queue's manager decides first
    assert proposal.decide_by is not None
    assert not Notification.objects.filter(ticket=affected).exists()


def test_the_limit_is_per_currency_and_kind(affected, incident, agent, agent_limit):
    in_euro = services.propose(ticket=affected, incident=incident, offer=credit(10, "EUR"), by=agent)
    voucher = services.propose(
        ticket=affected,
        incident=incident,
        offer=Offer(kind="voucher", amount=Decimal(100), currency="HUF", justification="Sorry"),
        by=agent,
    )

    assert in_euro.state == voucher.state == CompensationProposal.State.PENDING


def test_a_duration_limit_covers_a_warranty_extension(affected, incident, agent, manager):
    GrantLimit.objects.create(agent=agent, kind="warranty_extension", max_days=90, set_by=manager)
    offer = Offer(kind="warranty_extension", duration_days=90, justification="Router replaced late")

    proposal = services.propose(ticket=affected, incident=incident, offer=offer, by=agent)

    assert proposal.state == CompensationProposal.State.APPROVED
    assert proposal.value_label == "90 days"


def test_without_any_limit_everything_waits(affected, incident, agent):
    proposal = services.propose(ticket=affected, incident=incident, offer=credit(1), by=agent)

    assert proposal.state == CompensationProposal.State.PENDING


def test_a_ticket_not_linked_to_the_incident_cannot_be_compensated_for_it(make_ticket, incident, agent):
    with pytest.raises(InvalidTransition):
        services.propose(ticket=make_ticket(), incident=incident, offer=credit(100), by=agent)


@pytest.fixture
def pending(affected, incident, agent):
    return services.propose(ticket=affected, incident=incident, offer=credit(20000), by=agent)


def test_an_agent_cannot_approve_compensation(pending, agent, other_agent):
    for person in (agent, other_agent):
        with pytest.raises(InvalidTransition):
            pending.approve(by=person)
    pending.refresh_from_db()
    assert pending.state == CompensationProposal.State.PENDING


def test_nobody_approves_what_they_proposed(affected, incident, manager):
    proposal = services.propose(ticket=affected, incident=incident, offer=credit(20000), by=manager)

    with pytest.raises(InvalidTransition, match="another manager"):
        proposal.approve(by=manager)
    with pytest.raises(InvalidTransition):
        proposal.reject(by=manager)
    proposal.refresh_from_db()
    assert proposal.state == CompensationProposal.State.PENDING


def test_a_managers_own_proposal_goes_to_another_manager(affected, incident, manager, second_manager):
    proposal = services.propose(ticket=affected, incident=incident, offer=credit(20000), by=manager)

    assert proposal.decider == second_manager


def test_a_manager_approves_and_the_customer_is_told_in_their_language(pending, manager, affected):
    pending.approve(by=manager, note="Fair.")

    pending.refresh_from_db()
    assert pending.state == CompensationProposal.State.APPROVED
    assert pending.decided_by == manager
    notification = Notification.objects.get(ticket=affected)
    assert notification.language == "hu"
    assert "20\u00a0000 HUF" in notification.body_text
    actions = list(AuditEntry.objects.filter(proposal=pending).values_list("action", flat=True))
    assert actions == ["proposed", "approved"]
    approved = AuditEntry.objects.get(proposal=pending, action="approved")
    assert approved.before["state"] == "pending"
    assert approved.after["state"] == "approved"
    assert approved.note == "Fair."


def test_a_rejection_is_told_too_and_cannot_be_decided_again(pending, manager, second_manager, affected):
    pending.reject(by=manager, note="Not eligible: business customer.")

    assert Notification.objects.filter(ticket=affected).count() == 1
    with pytest.raises(InvalidTransition):
        pending.approve(by=second_manager)


def test_approved_compensation_is_marked_fulfilled_once(pending, manager, agent):
    with pytest.raises(InvalidTransition):
        pending.fulfil(by=agent)
    pending.approve(by=manager)
    pending.fulfil(by=agent, note="Credit note CN-17")

    pending.refresh_from_db()
    assert pending.state == CompensationProposal.State.FULFILLED
    assert pending.fulfilled_by == agent
    with pytest.raises(InvalidTransition):
        pending.fulfil(by=agent)


def test_the_proposer_may_withdraw_a_waiting_proposal_but_not_a_colleague(pending, agent, other_agent):
    with pytest.raises(InvalidTransition):
        pending.withdraw(by=other_agent)
    pending.withdraw(by=agent)

    assert pending.state == CompensationProposal.State.WITHDRAWN


def test_a_spot_grant_is_reviewed_by_a_manager_not_the_granter(
    affected, incident, agent, agent_limit, manager
):
    proposal = services.propose(ticket=affected, incident=incident, offer=credit(3000), by=agent)

    with pytest.raises(InvalidTransition):
        proposal.mark_reviewed(by=agent)
    proposal.mark_reviewed(by=manager)

    assert proposal.reviewed_by == manager
    with pytest.raises(InvalidTransition):
        proposal.mark_reviewed(by=manager)


def test_an_amount_needs_a_currency_and_excludes_a_duration():
    from django.core.exceptions import ValidationError

    for value in (
        {"amount": Decimal(10)},
        {"amount": Decimal(10), "currency": "HUF", "duration_days": 5},
        {},
        {"amount": Decimal(0), "currency": "HUF"},
    ):
        with pytest.raises(ValidationError):
            CompensationProposal(kind="voucher", **value).clean_value()


def test_proposing_for_all_linked_tickets_always_waits_and_skips_those_already_compensated(
    incident, make_ticket, agent, agent_limit, manager
):
    from crisis.models import IncidentTicket

    tickets = [make_ticket(email=f"c{n}@example.hu") for n in range(4)]
    for ticket in tickets:
        IncidentTicket.objects.create(incident=incident, ticket=ticket, via="bulk")
    services.propose(ticket=tickets[0], incident=incident, offer=credit(1000), by=agent)

    created = services.propose_for_all_linked(incident=incident, offer=credit(1000), by=agent)

    assert len(created) == 3  # the first already has a bill credit
    assert {p.state for p in created} == {"pending"}  # within the limit, but a whole incident's worth
    assert len({p.batch for p in created}) == 1
    assert AuditEntry.objects.filter(action="proposed", proposal__in=created).count() == 3
    assert not mail.outbox
