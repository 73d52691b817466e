"""The worker watches SLA timers: at risk, then breached, then the queue's manager is told once."""

import importlib
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection
from django.utils import translation

from helpdesk import tasks
from helpdesk.models import (
    AttentionRequest,
    Category,
    Priority,
    StaffProfile,
    Ticket,
    TicketEntry,
)
from helpdesk.models.queue_place import SlaBand
from helpdesk.roles import AGENTS, MANAGERS
from tests.factories import UserFactory, queue_with_default_sla

BUDAPEST = ZoneInfo("Europe/Budapest")


def budapest(*parts) -> datetime:
    return datetime(*parts, tzinfo=BUDAPEST)


# Monday 16 March 2026, 09:00: a normal request is due by 17:00 (8 business hours) and is at
# risk from 15:00 (a quarter of its time left).
MONDAY_9 = budapest(2026, 3, 16, 9)


@pytest.fixture
def ticket_at(make_ticket):
    def make(moment: datetime, **overrides) -> Ticket:
        with time_machine.travel(moment, tick=False):
            return make_ticket(**overrides)

    return make


def check_sla_at(moment: datetime) -> str:
    with time_machine.travel(moment, tick=False):
        return tasks.check_sla()


def fresh(ticket: Ticket) -> Ticket:
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def other_queue(budapest_calendar, second_manager):
    return queue_with_default_sla(
        name="Shop", slug="shop", calendar=budapest_calendar, manager=second_manager
    )


@pytest.fixture
def shop_category(other_queue):
    return Category.objects.create(
        slug="shop", name_en="Shop", name_hu="Bolt", name_pl="Sklep", queue=other_queue
    )


# --- the scan --------------------------------------------------------------------------------


def test_a_ticket_passes_at_risk_then_breached_as_time_moves(ticket_at, queue):
    ticket = ticket_at(MONDAY_9)
    assert (ticket.sla_due_at, ticket.sla_at_risk_at) == (
        budapest(2026, 3, 16, 17),
        budapest(2026, 3, 16, 15),
    )

    check_sla_at(budapest(2026, 3, 16, 14, 59))
    assert fresh(ticket).sla_band == SlaBand.ON_TIME

    check_sla_at(budapest(2026, 3, 16, 15))
    assert fresh(ticket).sla_band == SlaBand.AT_RISK
    assert ticket.queue_key == ticket.compute_queue_key()
    assert not ticket.attention_requests.exists()

    assert (
        check_sla_at(budapest(2026, 3, 16, 17)) == "1 newly breached, 1 alerted, 0 assignees told of a risk"
    )
    assert fresh(ticket).sla_band == SlaBand.BREACHED
    assert ticket.queue_key == ticket.compute_queue_key()
    assert ticket.sla_breach_notified_at == budapest(2026, 3, 16, 17)


def test_an_at_risk_ticket_moves_ahead_of_a_higher_priority(ticket_at, queue):
    # Low priority: 16 business hours, due Tuesday 16:00, at risk from Tuesday 12:00.
    waiting_long = ticket_at(MONDAY_9, priority=Priority.LOW, email="old@example.hu")
    urgent_enough = ticket_at(budapest(2026, 3, 17, 8, 30), priority=Priority.NORMAL, email="new@example.hu")
    in_order = lambda: list(Ticket.objects.in_line().in_queue_order())  # noqa: E731

    check_sla_at(budapest(2026, 3, 17, 11, 59))
    assert in_order() == [urgent_enough, waiting_long]

    check_sla_at(budapest(2026, 3, 17, 12))
    assert in_order() == [waiting_long, urgent_enough]


def test_a_breach_records_an_internal_event_and_escalates_to_the_queue_manager(ticket_at, manager):
    ticket = ticket_at(MONDAY_9)

    check_sla_at(budapest(2026, 3, 16, 17, 0, 30))

    event = ticket.entries.get(event=TicketEntry.Event.SLA_BREACHED)
    assert not event.is_public
    assert event.data["target"] == "first_response"
    attention_request = ticket.attention_requests.get()
    assert attention_request.kind == AttentionRequest.Reason.SLA_BREACH
    assert attention_request.raised_by is None
    assert attention_request.reason == ""  # codes in `data`, words when read
    assert "first answer" in attention_request.reason_text
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert ticket.reference in message.subject
    assert f"/agent/tickets/{ticket.reference}/" in message.body
    assert "/manage/attention/" in message.body


def test_the_mail_is_in_the_managers_language(ticket_at, manager):
    StaffProfile.objects.for_user(manager).remember_language("hu")
    ticket_at(MONDAY_9)

    check_sla_at(budapest(2026, 3, 16, 17))

    assert mail.outbox[0].extra_headers["Content-Language"] == "hu"


def test_a_missed_resolution_is_escalated_too(ticket_at, agent):
    ticket = ticket_at(MONDAY_9)
    with time_machine.travel(budapest(2026, 3, 16, 10), tick=False):
        ticket.assign(agent, by=agent)
        ticket.mark_first_response(budapest(2026, 3, 16, 10))

    check_sla_at(budapest(2026, 3, 16, 17, 30))
    assert not ticket.attention_requests.exists()

    # Normal resolution: 40 business hours, Friday 20 March 13:00.
    check_sla_at(budapest(2026, 3, 20, 13))
    assert ticket.entries.get(event=TicketEntry.Event.SLA_BREACHED).data["target"] == "resolution"
    assert "resolved" in ticket.attention_requests.get().reason_text


def test_a_ticket_waiting_on_the_customer_is_never_flagged(ticket_at, agent):
    ticket = ticket_at(MONDAY_9)
    with time_machine.travel(budapest(2026, 3, 16, 14), tick=False):
        ticket.wait_on_customer(by=agent)

    for moment in (budapest(2026, 3, 16, 15, 30), budapest(2026, 3, 16, 17), budapest(2026, 3, 30, 9)):
        check_sla_at(moment)
        assert fresh(ticket).sla_band == SlaBand.ON_TIME

    assert ticket.sla_breach_notified_at is None
    assert not ticket.attention_requests.exists()
    assert not ticket.entries.filter(event=TicketEntry.Event.SLA_BREACHED).exists()
    assert mail.outbox == []


def test_a_flagged_ticket_that_starts_waiting_leaves_the_at_risk_band(ticket_at, agent):
    ticket = ticket_at(MONDAY_9)
    check_sla_at(budapest(2026, 3, 16, 15, 30))
    assert fresh(ticket).sla_band == SlaBand.AT_RISK

    with time_machine.travel(budapest(2026, 3, 16, 15, 45), tick=False):
        ticket.wait_on_customer(by=agent)
    check_sla_at(budapest(2026, 3, 16, 17))

    assert fresh(ticket).sla_band == SlaBand.ON_TIME
    assert not ticket.attention_requests.exists()


def test_a_breach_a_save_noticed_first_is_still_escalated(ticket_at, agent):
    # An agent takes the ticket a few seconds after it breached, before the scan ran.
    ticket = ticket_at(MONDAY_9)
    with time_machine.travel(budapest(2026, 3, 16, 17, 0, 20), tick=False):
        ticket.assign(agent, by=agent)
    assert fresh(ticket).sla_band == SlaBand.BREACHED

    check_sla_at(budapest(2026, 3, 16, 17, 1))

    assert ticket.attention_requests.count() == 1
    assert len(mail.outbox) == 1


def test_the_manager_is_told_once_when_the_scan_runs_again(ticket_at):
    ticket = ticket_at(MONDAY_9)

    check_sla_at(budapest(2026, 3, 16, 17))
    assert (
        check_sla_at(budapest(2026, 3, 16, 17, 1))
        == "0 newly breached, 0 alerted, 0 assignees told of a risk"
    )
    check_sla_at(budapest(2026, 3, 17, 9))

    assert ticket.attention_requests.count() == 1
    assert ticket.entries.filter(event=TicketEntry.Event.SLA_BREACHED).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_scanning_at_once_tell_the_manager_once(ticket_at):
    tickets = [ticket_at(MONDAY_9, email=f"c{n}@example.hu") for n in range(5)]
    start = threading.Barrier(4)
    errors = []

    def worker():
        try:
            start.wait()
            tasks.check_sla()
        except Exception as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(budapest(2026, 3, 16, 17, 5), tick=False):
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert AttentionRequest.objects.count() == 5
    assert TicketEntry.objects.filter(event=TicketEntry.Event.SLA_BREACHED).count() == 5
    assert sorted(message.subject.split("]")[0] for message in mail.outbox) == sorted(
        f"[#{ticket.reference}" for ticket in tickets
    )


def test_the_check_is_scheduled_every_minute(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="helpdesk.tasks.check_sla")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)


# --- the manager's list ----------------------------------------------------------------------


@pytest.fixture
def breached_ticket(ticket_at):
    ticket = ticket_at(MONDAY_9, subject="Router dead since Friday")
    check_sla_at(budapest(2026, 3, 16, 17))
    return fresh(ticket)


@pytest.fixture
def agent_request(ticket_at, agent):
    ticket = ticket_at(
        budapest(2026, 3, 16, 10), subject="Wants to cancel the contract", email="angry@example.hu"
    )
    return AttentionRequest.objects.create(
        ticket=ticket,
        reason="Third call this week; asks for a supervisor.",
        raised_by=agent,
        raised_at=budapest(2026, 3, 16, 11),
    )


def test_the_manager_sees_escalations_and_breached_tickets(client, manager, breached_ticket, agent_request):
    client.force_login(manager)

    with time_machine.travel(budapest(2026, 3, 16, 17, 30), tick=False):
        response = client.get("/manage/attention/")

    assert response.status_code == 200
    attention_requests = response.context["attention_requests"]
    assert [e.ticket for e in attention_requests] == [agent_request.ticket, breached_ticket]
    assert "Third call this week; asks for a supervisor." in response.text
    assert "Anna" in response.text  # who raised it
    assert "SLA check" in response.text
    assert list(response.context["breached"]) == [breached_ticket]
    assert "30\xa0minutes" in response.text  # how late the breached request is


def test_the_list_shows_only_the_managers_own_queues(
    client, manager, second_manager, ticket_at, shop_category, breached_ticket
):
    shop_ticket = ticket_at(MONDAY_9, category=shop_category, email="shop@example.hu")
    check_sla_at(budapest(2026, 3, 16, 17, 5))

    client.force_login(second_manager)
    response = client.get("/manage/attention/")

    assert [e.ticket for e in response.context["attention_requests"]] == [shop_ticket]
    assert list(response.context["breached"]) == [shop_ticket]
    assert breached_ticket.reference not in response.text


def test_a_manager_of_no_queue_sees_every_queue(client, roles, breached_ticket):
    head_of_service = UserFactory(username="helga", roles=[AGENTS, MANAGERS])
    client.force_login(head_of_service)

    response = client.get("/manage/attention/")

    assert [e.ticket for e in response.context["attention_requests"]] == [breached_ticket]


def test_the_list_answers_in_a_fixed_number_of_queries(
    client, manager, ticket_at, agent, django_assert_num_queries
):
    def add(count, offset):
        for n in range(count):
            ticket = ticket_at(MONDAY_9, email=f"c{offset + n}@example.hu")
            AttentionRequest.objects.create(ticket=ticket, reason="Needs a decision", raised_by=agent)
        check_sla_at(budapest(2026, 3, 16, 17))

    client.force_login(manager)
    add(1, 0)
    # session, the user with their roles, managed queues exist?, attention requests, their count,
    # breached, its count
    with django_assert_num_queries(7):
        small = client.get("/manage/attention/")
    add(6, 1)
    with django_assert_num_queries(7):
        large = client.get("/manage/attention/")

    assert len(small.context["attention_requests"]) == 2
    assert len(large.context["attention_requests"]) == 14


def test_agents_and_visitors_cannot_see_the_list(client, agent, outsider):
    assert client.get("/manage/attention/").status_code == 302
    client.force_login(agent)
    assert client.get("/manage/attention/").status_code == 403
    client.force_login(outsider)
    assert client.get("/manage/attention/").status_code == 403


def test_the_managers_menu_links_the_list(client, manager):
    client.force_login(manager)
    assert 'href="/manage/attention/"' in client.get("/agent/").text


# --- resolving an attention request-----------------------------------------------------------


def test_the_manager_resolves_an_escalation_with_a_note(client, manager, agent_request):
    client.force_login(manager)

    response = client.post(
        f"/manage/attention/{agent_request.pk}/resolve/",
        {"note": "Called the customer; waived the fee."},
    )

    assert response.status_code == 302
    assert response.url == "/manage/attention/"
    agent_request.refresh_from_db()
    assert agent_request.resolved_by == manager
    assert agent_request.resolved_at is not None
    assert agent_request.resolution_note == "Called the customer; waived the fee."
    assert client.get("/manage/attention/").context["attention_requests"] == []


def test_resolving_needs_a_note(client, manager, agent_request):
    client.force_login(manager)

    response = client.post(f"/manage/attention/{agent_request.pk}/resolve/", {"note": "  "})

    assert response.status_code == 400
    assert "This field is required." in response.text
    agent_request.refresh_from_db()
    assert agent_request.is_open


def test_a_rejected_note_keeps_what_was_typed(client, manager, agent_request):
    client.force_login(manager)
    too_long = "Spoke to the customer. " * 100

    response = client.post(f"/manage/attention/{agent_request.pk}/resolve/", {"note": too_long})

    assert response.status_code == 400
    [attention_request] = response.context["attention_requests"]
    assert attention_request.form.data["note"] == too_long
    assert too_long.strip() in response.text


def test_resolving_twice_says_it_is_done_already(client, manager, agent_request):
    agent_request.resolve(by=manager, note="Done.")
    client.force_login(manager)

    response = client.post(f"/manage/attention/{agent_request.pk}/resolve/", {"note": "Again"}, follow=True)

    assert "Already resolved by Marek." in response.text
    agent_request.refresh_from_db()
    assert agent_request.resolution_note == "Done."


def test_resolving_is_post_only(client, manager, agent_request):
    client.force_login(manager)
    assert client.get(f"/manage/attention/{agent_request.pk}/resolve/").status_code == 405


def test_agents_cannot_resolve(client, agent, agent_request):
    client.force_login(agent)
    response = client.post(f"/manage/attention/{agent_request.pk}/resolve/", {"note": "Done"})
    assert response.status_code == 403
    agent_request.refresh_from_db()
    assert agent_request.is_open


def test_a_manager_cannot_resolve_another_queues_escalation(
    client, second_manager, other_queue, agent_request
):
    client.force_login(second_manager)
    response = client.post(f"/manage/attention/{agent_request.pk}/resolve/", {"note": "Done"})
    assert response.status_code == 404
    agent_request.refresh_from_db()
    assert agent_request.is_open


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("pl", "Pierwsza odpowiedź dla klienta miała zostać wysłana do"),
        ("hu", "Az ügyfélnek eddig kellett volna megkapnia az első választ"),
        ("en", "The first answer to the customer was due at"),
    ],
)
def test_each_manager_reads_the_breach_reason_in_their_own_language(
    client, manager, ticket_at, language, words
):
    StaffProfile.objects.for_user(manager).remember_language("pl")  # the alert is written for a Polish reader
    ticket_at(MONDAY_9)
    check_sla_at(budapest(2026, 3, 16, 17))
    client.force_login(manager)

    with time_machine.travel(budapest(2026, 3, 16, 17, 30), tick=False):
        response = client.get("/manage/attention/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert words in response.text
    assert "sla_breach" not in response.text


def test_breach_reasons_stored_as_words_become_codes(ticket_at):
    ticket = ticket_at(MONDAY_9)
    check_sla_at(budapest(2026, 3, 16, 17))
    # As the alert was written before: the reason in the manager's words, no codes.
    AttentionRequest.objects.filter(ticket=ticket).update(
        reason="Pierwsza odpowiedź dla klienta miała zostać wysłana do 16.03.2026 17:00.", data={}
    )
    migration = importlib.import_module("helpdesk.migrations.0035_attention_reason_codes")

    migration.reasons_as_codes(django_apps, None)

    alert = AttentionRequest.objects.get(ticket=ticket)
    assert alert.reason == ""
    assert alert.data["target"] == "first_response"
    with translation.override("hu"):
        assert alert.reason_text.startswith("Az ügyfélnek eddig kellett volna megkapnia az első választ")
