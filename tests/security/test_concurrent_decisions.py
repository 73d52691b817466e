"""Two managers decide the same thing at the same moment: one decision, told once, recorded once.

The review's reproduction: two managers decided one compensation proposal together and both won
(4 of 5 tries): the audit trail read "proposed, approved, rejected" and the customer got both
emails. Every state change is conditional on the state it leaves; the one who comes second is
told who decided first, and nothing happens twice.
"""

import pytest
from django.db import connection

from crisis.compensation import services
from crisis.models import AuditEntry, CompensationProposal, IncidentEvent, IncidentTicket, IncidentUpdate
from feedback.models import RecurringComplaint, RecurringComplaintEvent, Theme, ThemeReply
from helpdesk.models import AttentionRequest, Notification, Ticket, TicketEntry
from tests.crisis.compensation.conftest import credit
from tests.crisis.conftest import UPDATE
from tests.security.together import ROUNDS, page_text, post_at_once, signed_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.long,
]


# --- compensation proposals ----------------------------------------------------------------


@pytest.fixture
def linked(make_ticket, incident):
    def link(number):
        ticket = make_ticket(email=f"customer{number}@example.hu")
        IncidentTicket.objects.create(incident=incident, ticket=ticket, via=IncidentTicket.Via.AGENT)
        return ticket

    return link


def test_approve_and_reject_at_once_give_one_decision_one_email_one_audit_row(
    linked, incident, agent, manager, second_manager
):
    marek, zofia = signed_in(manager), signed_in(second_manager)
    for round_ in range(ROUNDS):
        ticket = linked(round_)
        proposal = services.propose(ticket=ticket, incident=incident, offer=credit(20000), by=agent)

        responses = post_at_once(
            (marek, f"/crisis/compensation/{proposal.pk}/approve/", {"note": "Fair."}),
            (zofia, f"/crisis/compensation/{proposal.pk}/reject/", {"note": "Not eligible."}),
        )

        assert [response.status_code for response in responses] == [200, 200]
        proposal.refresh_from_db()
        assert proposal.state in ("approved", "rejected")
        actions = list(AuditEntry.objects.filter(proposal=proposal).values_list("action", flat=True))
        assert actions == ["proposed", proposal.state]
        assert Notification.objects.filter(ticket=ticket).count() == 1
        winner = proposal.decided_by.first_name
        told = [r for r in responses if f"Already decided by {winner}" in page_text(r)]
        assert len(told) == 1


def test_two_approvals_at_once_of_a_large_grant_count_once(linked, incident, agent, manager, second_manager):
    """Above the second-approval amount. Pressed at the very same moment, one approval is the
    first and the other manager is told so; when one request reads the row after the other's
    approval committed, it is the second approval, by a different manager, which the rule asks
    for. Either way: never one approval counted twice, never two emails."""
    marek, zofia = signed_in(manager), signed_in(second_manager)
    for round_ in range(ROUNDS):
        ticket = linked(round_)
        proposal = services.propose(ticket=ticket, incident=incident, offer=credit(500000), by=agent)
        path = f"/crisis/compensation/{proposal.pk}/approve/"

        responses = post_at_once((marek, path, {"note": ""}), (zofia, path, {"note": ""}))

        proposal.refresh_from_db()
        actions = list(AuditEntry.objects.filter(proposal=proposal).values_list("action", flat=True))
        first = proposal.first_approved_by
        assert first in (manager, second_manager)
        if proposal.state == CompensationProposal.State.PENDING:
            assert actions == ["proposed", "first_approved"]
            assert not Notification.objects.filter(ticket=ticket).exists()
            told = [r for r in responses if f"{first.first_name} approved this a moment ago" in page_text(r)]
            assert len(told) == 1
        else:
            assert proposal.state == CompensationProposal.State.APPROVED
            assert {first, proposal.decided_by} == {manager, second_manager}
            assert actions == ["proposed", "first_approved", "approved"]
            assert Notification.objects.filter(ticket=ticket).count() == 1


# --- incident updates ----------------------------------------------------------------------


def test_publish_and_send_back_at_once_give_one_review(incident, agent, manager, second_manager):
    marek, zofia = signed_in(manager), signed_in(second_manager)
    for _round in range(ROUNDS):
        draft = IncidentUpdate.draft(incident, by=agent, texts=UPDATE)

        responses = post_at_once(
            (marek, f"/crisis/updates/{draft.pk}/approve/", {}),
            (zofia, f"/crisis/updates/{draft.pk}/reject/", {"note": "Say when."}),
        )

        draft.refresh_from_db()
        assert draft.state in ("published", "rejected")
        reviewed = incident.events.filter(
            kind__in=[IncidentEvent.Kind.UPDATE_PUBLISHED, IncidentEvent.Kind.UPDATE_REJECTED],
            at__gte=draft.created_at,
        )
        assert reviewed.count() == 1
        winner = draft.reviewed_by.first_name
        told = [r for r in responses if f"Already reviewed by {winner}" in page_text(r)]
        assert len(told) == 1


# --- recurring complaints ------------------------------------------------------------------


def test_two_managers_acknowledge_and_close_a_theme_escalation_once(manager, second_manager):
    marek, zofia = signed_in(manager), signed_in(second_manager)
    for round_ in range(ROUNDS):
        recurring_complaint = RecurringComplaint.raise_for(
            Theme.objects.create(title=f"Double charge {round_}")
        )

        acknowledged = post_at_once(
            (marek, f"/manage/escalations/{recurring_complaint.pk}/acknowledge/", {}),
            (zofia, f"/manage/escalations/{recurring_complaint.pk}/acknowledge/", {}),
        )
        findings = {"root_cause": "A retried batch.", "fix": "Idempotent batch.", "close": "1"}
        closed = post_at_once(
            (marek, f"/manage/escalations/{recurring_complaint.pk}/findings/", findings),
            (zofia, f"/manage/escalations/{recurring_complaint.pk}/findings/", findings),
        )

        kinds = list(recurring_complaint.events.values_list("kind", flat=True))
        assert kinds == [
            RecurringComplaintEvent.Kind.RAISED,
            RecurringComplaintEvent.Kind.ACKNOWLEDGED,
            RecurringComplaintEvent.Kind.CLOSED,
        ]
        recurring_complaint.refresh_from_db()
        assert (
            sorted(r.status_code for r in acknowledged) == sorted(r.status_code for r in closed) == [200, 409]
        )
        assert any(
            f"Already acknowledged by {recurring_complaint.acknowledged_by.first_name}" in page_text(r)
            for r in acknowledged
        )
        assert any(
            f"Already closed by {recurring_complaint.closed_by.first_name}" in page_text(r) for r in closed
        )


def test_two_managers_resolve_a_ticket_escalation_once(make_ticket, agent, manager, second_manager):
    marek, zofia = signed_in(manager), signed_in(second_manager)
    for round_ in range(ROUNDS):
        ticket = make_ticket(email=f"customer{round_}@example.hu")
        attention_request = ticket.request_attention(by=agent, reason="The customer threatens to leave.")
        path = f"/manage/attention/{attention_request.pk}/resolve/"

        responses = post_at_once(
            (marek, path, {"note": "Called the customer."}), (zofia, path, {"note": "Wrote to the customer."})
        )

        attention_request.refresh_from_db()
        assert attention_request.resolution_note == (
            "Called the customer." if attention_request.resolved_by == manager else "Wrote to the customer."
        )
        winner = attention_request.resolved_by.first_name
        told = [r for r in responses if f"Already resolved by {winner}" in page_text(r)]
        assert len(told) == 1
        assert AttentionRequest.objects.filter(ticket=ticket).count() == 1


def test_two_agents_escalating_at_once_raise_one_escalation(make_ticket, agent, other_agent):
    anna, bence = signed_in(agent), signed_in(other_agent)
    for round_ in range(ROUNDS):
        ticket = make_ticket(email=f"customer{round_}@example.hu")
        path = f"/agent/tickets/{ticket.reference}/escalate/"

        responses = post_at_once((anna, path, {"reason": "Angry."}), (bence, path, {"reason": "Furious."}))

        assert sorted(response.status_code for response in responses) == [200, 409]
        assert AttentionRequest.objects.filter(ticket=ticket).count() == 1
        assert ticket.entries.filter(event=TicketEntry.Event.ATTENTION_REQUESTED).count() == 1


def test_two_managers_approving_a_theme_answer_at_once_approve_it_once(
    manager, second_manager, third_manager
):
    marek, zofia = signed_in(second_manager), signed_in(third_manager)
    for round_ in range(ROUNDS):
        theme = Theme.objects.create(title=f"Double charge {round_}")
        reply = ThemeReply.objects.create(
            theme=theme, language="hu", body="Elnézést kérünk.", drafted_by=manager
        )
        path = f"/manage/theme-answers/{reply.pk}/approve/"

        responses = post_at_once((marek, path, {}), (zofia, path, {}))

        reply.refresh_from_db()
        assert reply.approved_by in (second_manager, third_manager)
        told = [r for r in responses if f"Already approved by {reply.approved_by.first_name}" in page_text(r)]
        assert len(told) == 1


# --- a ticket's status ---------------------------------------------------------------------


@pytest.mark.parametrize(("before", "to"), [("open", "closed"), ("resolved", "open"), ("new", "waiting")])
def test_two_agents_change_a_tickets_status_at_once_once(make_ticket, agent, other_agent, before, to):
    anna, bence = signed_in(agent), signed_in(other_agent)
    for round_ in range(ROUNDS):
        ticket = make_ticket(email=f"customer{round_}@example.hu")
        if before == "open":
            ticket.move_to(Ticket.Status.OPEN, by=agent)
        elif before == "resolved":
            ticket.move_to(Ticket.Status.RESOLVED, by=agent)
        sent_before = Notification.objects.filter(ticket=ticket).count()
        path = f"/agent/tickets/{ticket.reference}/status/"

        responses = post_at_once(
            (anna, path, {"status": to, "message": "Anna here."}),
            (bence, path, {"status": to, "message": "Bence here."}),
        )

        ticket.refresh_from_db()
        assert ticket.status == to
        assert sorted(response.status_code for response in responses) == [200, 409]
        changes = ticket.entries.filter(event=TicketEntry.Event.STATUS_CHANGED, data__to=to)
        assert changes.count() == 1
        assert Notification.objects.filter(ticket=ticket).count() - sent_before == (
            1 if to == "waiting" else 0
        )
