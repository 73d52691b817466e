"""Moving a case on from the workspace: summary, next steps, status, priority, owner, a manager's attention."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from helpdesk import tasks
from helpdesk.models import InvalidTransition, NextStep, Notification, Priority, Ticket, TicketEntry
from tests.helpdesk.workspace.conftest import MONDAY_MORNING


def url(ticket, action):
    return f"/agent/tickets/{ticket.reference}/{action}/"


def events(ticket, event):
    return ticket.entries.filter(kind=TicketEntry.Kind.EVENT, event=event)


# --- the problem summary ----------------------------------------------------------------------


def test_the_agent_writes_a_summary_for_the_customer_to_check(client, agent, ticket):
    client.force_login(agent)

    response = client.post(url(ticket, "summary"), {"summary": "Your November bill was taken twice."})

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.summary, ticket.summary_state) == ("Your November bill was taken twice.", "pending")
    assert ticket.summary_updated_at == MONDAY_MORNING
    written = events(ticket, TicketEntry.Event.SUMMARY_WRITTEN).get()
    assert (written.is_public, written.body) == (True, "Your November bill was taken twice.")


def test_an_empty_summary_is_refused(client, agent, ticket):
    client.force_login(agent)
    response = client.post(url(ticket, "summary"), {"summary": " "})
    assert response.status_code == 200
    assert response.context["summary_form"].errors
    assert not events(ticket, TicketEntry.Event.SUMMARY_WRITTEN).exists()


def test_the_customer_confirms_the_summary(agent, ticket):
    ticket.write_summary(by=agent, text="Charged twice.")

    ticket.confirm_summary()

    assert Ticket.objects.get(pk=ticket.pk).summary_state == "confirmed"
    assert events(ticket, TicketEntry.Event.SUMMARY_CONFIRMED).get().is_public
    assert ticket.confirm_summary() is None  # a second tap records nothing more
    assert events(ticket, TicketEntry.Event.SUMMARY_CONFIRMED).count() == 1


def test_the_customers_correction_joins_the_timeline_as_their_message(agent, ticket):
    ticket.write_summary(by=agent, text="Charged twice.")

    ticket.correct_summary("Three times, not twice, and also in October.")

    assert Ticket.objects.get(pk=ticket.pk).summary_state == "corrected"
    assert events(ticket, TicketEntry.Event.SUMMARY_CORRECTED).exists()
    message = ticket.entries.filter(kind=TicketEntry.Kind.MESSAGE).last()
    assert (message.body, message.is_public, message.author) == (
        "Three times, not twice, and also in October.",
        True,
        None,
    )


def test_there_is_nothing_to_confirm_before_a_summary_is_written(ticket):
    with pytest.raises(InvalidTransition):
        ticket.confirm_summary()
    with pytest.raises(InvalidTransition):
        ticket.correct_summary("text")


# --- next steps -------------------------------------------------------------------------------


def test_the_agent_sets_a_dated_next_step_the_customer_will_see(client, agent, ticket):
    client.force_login(agent)

    response = client.post(
        url(ticket, "next-steps"),
        {"description": "Billing refunds the double charge", "due_on": "2026-03-04"},
    )

    assert response.status_code == 302
    step = ticket.next_steps.get()
    assert (step.description, step.due_on, step.created_by) == (
        "Billing refunds the double charge",
        date(2026, 3, 4),
        agent,
    )
    recorded = events(ticket, TicketEntry.Event.NEXT_STEP).get()
    assert recorded.is_public
    assert recorded.data["due_on"] == "2026-03-04"


def test_a_next_step_in_the_past_is_refused_and_the_text_kept(client, agent, ticket):
    client.force_login(agent)

    response = client.post(url(ticket, "next-steps"), {"description": "Call back", "due_on": "2026-02-27"})

    assert response.status_code == 200
    assert 'value="Call back"' in response.text
    assert not NextStep.objects.exists()


def test_a_next_step_is_marked_done_once(client, agent, ticket):
    step = ticket.add_next_step(by=agent, description="Refund", due_on=date(2026, 3, 4))
    client.force_login(agent)

    assert client.post(url(ticket, f"next-steps/{step.pk}/done")).status_code == 302
    step.refresh_from_db()
    assert step.done_at == MONDAY_MORNING
    assert events(ticket, TicketEntry.Event.NEXT_STEP).count() == 2

    client.post(url(ticket, f"next-steps/{step.pk}/done"))
    assert events(ticket, TicketEntry.Event.NEXT_STEP).count() == 2


def test_another_tickets_step_cannot_be_marked_done_from_here(client, agent, ticket, make_ticket):
    other = make_ticket(email="other@example.hu")
    step = other.add_next_step(by=agent, description="Refund", due_on=date(2026, 3, 4))
    client.force_login(agent)

    assert client.post(url(ticket, f"next-steps/{step.pk}/done")).status_code == 404


# --- status changes, each telling the customer where it matters ---------------------------------


def test_waiting_on_the_customer_tells_them_what_we_need_in_their_language(client, agent, ticket):
    client.force_login(agent)

    response = client.post(
        url(ticket, "status"), {"status": "waiting", "message": "A photo of your bank statement"}
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    email = ticket.notifications.get()
    assert (email.kind, email.language) == ("status", "hu")
    assert "A photo of your bank statement" in email.body_text
    with translation.override("hu"):
        assert gettext("We need some information from you") in email.subject
    changed = events(ticket, TicketEntry.Event.STATUS_CHANGED).get()
    assert changed.body == "A photo of your bank statement"


def test_resolving_says_what_was_done_and_that_a_reply_reopens_it(client, agent, make_ticket):
    ticket = make_ticket(language="pl", email="jan@example.pl", name="Jan Kowalski")
    client.force_login(agent)

    client.post(url(ticket, "status"), {"status": "resolved", "message": "We refunded 4 990 Ft."})

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    email = ticket.notifications.get()
    assert email.language == "pl"
    assert "We refunded 4 990 Ft." in email.body_html
    with translation.override("pl"):
        assert gettext("Your request has been resolved") in email.subject
        assert gettext("We have resolved your request.") in email.body_text


def test_waiting_and_resolving_need_a_message_for_the_customer(client, agent, ticket):
    client.force_login(agent)

    response = client.post(url(ticket, "status"), {"status": "resolved", "message": ""})

    assert response.status_code == 200
    assert response.context["status_form"].errors["message"]
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.NEW


def test_closing_and_reopening_send_nothing(client, agent, ticket):
    client.force_login(agent)

    client.post(url(ticket, "status"), {"status": "closed"})
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.CLOSED
    client.post(url(ticket, "status"), {"status": "open"})

    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.OPEN
    assert not Notification.objects.exists()


def test_open_takes_a_waiting_ticket_back(client, agent, ticket):
    ticket.wait_on_customer(by=agent)
    client.force_login(agent)

    client.post(url(ticket, "status"), {"status": "open"})

    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.OPEN


@pytest.mark.parametrize(
    ("start", "target"),
    [("closed", "waiting"), ("open", "open"), ("closed", "closed")],
)
def test_an_impossible_status_change_is_explained(client, agent, ticket, start, target):
    ticket.move_to(start, by=agent)
    client.force_login(agent)

    response = client.post(url(ticket, "status"), {"status": target, "message": "Need your IBAN"})

    assert response.status_code == 409
    assert Ticket.objects.get(pk=ticket.pk).status == start
    assert "Need your IBAN" in response.text
    assert not Notification.objects.exists()


def test_status_changes_need_post_and_an_agent(client, agent, outsider, ticket):
    client.force_login(agent)
    assert client.get(url(ticket, "status")).status_code == 405
    client.force_login(outsider)
    assert client.post(url(ticket, "status"), {"status": "closed"}).status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.NEW


# --- priority and owner -----------------------------------------------------------------------


def test_a_new_priority_recomputes_the_due_times_from_the_queues_targets(client, agent, ticket):
    normal_due = ticket.first_response_due_at
    client.force_login(agent)

    response = client.post(url(ticket, "priority"), {"priority": Priority.URGENT})

    assert response.status_code == 302
    ticket.refresh_from_db()
    urgent = ticket.queue.sla_for(Priority.URGENT)
    assert ticket.priority == Priority.URGENT
    assert ticket.first_response_due_at == ticket.queue.calendar.calendar.add(
        ticket.created_at, urgent.first_response
    )
    assert ticket.first_response_due_at < normal_due
    changed = events(ticket, TicketEntry.Event.PRIORITY_CHANGED).get()
    assert changed.data == {"from": Priority.NORMAL, "to": Priority.URGENT}
    assert not changed.is_public


def test_an_unknown_priority_is_refused(client, agent, ticket):
    client.force_login(agent)
    assert client.post(url(ticket, "priority"), {"priority": "99"}).status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).priority == Priority.NORMAL


def test_reassign_to_a_colleague_and_back_to_the_queue(client, agent, other_agent, ticket):
    client.force_login(agent)

    client.post(url(ticket, "assign"), {"assignee": other_agent.pk})
    assert Ticket.objects.get(pk=ticket.pk).assignee == other_agent

    client.post(url(ticket, "assign"), {"assignee": ""})
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    assert events(ticket, TicketEntry.Event.ASSIGNED).count() == 2


def test_only_staff_can_be_assigned(client, agent, outsider, ticket):
    client.force_login(agent)
    response = client.post(url(ticket, "assign"), {"assignee": outsider.pk})
    assert response.status_code == 200
    assert response.context["assign_form"].errors
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


# --- a manager's attention (escalation to a supervisor) ---------------------------------------


def test_escalating_asks_the_supervisor_and_shows_on_the_ticket(client, agent, ticket):
    client.force_login(agent)

    response = client.post(
        url(ticket, "escalate"), {"reason": "Customer asks for compensation above my limit"}, follow=True
    )

    attention_request = ticket.attention_requests.get()
    assert (attention_request.raised_by, attention_request.kind, attention_request.resolved_at) == (
        agent,
        "agent",
        None,
    )
    assert attention_request.reason == "Customer asks for compensation above my limit"
    recorded = events(ticket, TicketEntry.Event.ATTENTION_REQUESTED).get()
    assert not recorded.is_public
    assert 'data-testid="attention-request"' in response.text
    assert not Notification.objects.exists()


def test_one_open_escalation_at_a_time(client, agent, ticket):
    ticket.request_attention(by=agent, reason="First")
    client.force_login(agent)

    response = client.post(url(ticket, "escalate"), {"reason": "Again, louder"})

    assert response.status_code == 409
    assert "Again, louder" in response.text
    assert ticket.attention_requests.count() == 1


def test_an_agent_asks_for_a_decision_on_a_ticket_the_sla_scan_escalated(client, agent, ticket, time_machine):
    # A normal request of Monday 09:00 is due at 17:00: by Tuesday the scan has alerted the manager.
    time_machine.move_to(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), tick=False)
    tasks.check_sla()
    assert ticket.attention_requests.get().kind == "sla_breach"
    client.force_login(agent)

    response = client.post(
        url(ticket, "escalate"), {"reason": "The customer asks for a refund above my limit"}
    )

    assert response.status_code == 302
    asked = ticket.attention_requests.get(kind="agent")
    assert (asked.raised_by, asked.reason, asked.is_open) == (
        agent,
        "The customer asks for a refund above my limit",
        True,
    )


def test_a_second_request_for_a_decision_while_one_is_open_is_refused_by_name(client, agent, ticket):
    client.force_login(agent)
    client.post(url(ticket, "escalate"), {"reason": "The customer asks for a refund above my limit"})

    response = client.post(url(ticket, "escalate"), {"reason": "Now they want a call back"})

    assert response.status_code == 409
    assert "Now they want a call back" in response.text  # the form keeps what was typed
    assert f"{agent.first_name} already asked a supervisor to decide on this request" in response.text
    assert ticket.attention_requests.count() == 1


def test_an_escalation_needs_a_reason(client, agent, ticket):
    client.force_login(agent)
    assert client.post(url(ticket, "escalate"), {"reason": ""}).status_code == 200
    assert not ticket.attention_requests.exists()


# --- the timeline in the reader's language ------------------------------------------------------


@pytest.mark.parametrize(("language", "words"), [("pl", "Nowe → W toku"), ("hu", "Új → Folyamatban")])
def test_a_status_change_on_the_timeline_is_in_the_readers_words(client, agent, ticket, language, words):
    client.force_login(agent)
    client.post(url(ticket, "status"), {"status": "open"})

    response = client.get(f"/agent/tickets/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert words in response.text
    assert "new → open" not in response.text
