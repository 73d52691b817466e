"""Resolution: a reviewed final statement, everyone told, linked requests settled, feedback asked."""

import pytest
from django.core import mail
from django.utils import translation

from crisis import hooks, sending
from crisis.models import IncidentEvent, IncidentUpdate
from helpdesk.models import InvalidTransition, Ticket
from tests.crisis.conftest import UPDATE


@pytest.fixture
def linked(incident, make_ticket, manager):
    tickets = [make_ticket(email=f"c{n}@example.hu") for n in range(3)]
    for ticket in tickets:
        incident.link(ticket, via="agent", by=manager)
    tickets[2].resolve(by=manager)
    return tickets


@pytest.fixture
def received(hooked):
    calls = []

    def listener(incident, tickets):
        calls.append((incident.pk, sorted(tickets.values_list("pk", flat=True))))

    hooked(hooks.INCIDENT_RESOLVED, listener)
    return calls


def resolve(incident, agent, manager, action):
    final = IncidentUpdate.draft(incident, by=agent, texts=UPDATE, final=True, ticket_action=action)
    final.publish(by=manager)
    sending.send(final.pk)
    return final


def test_final_statement_resolves_notifies_and_settles(
    incident, linked, agent, manager, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resolve(incident, agent, manager, IncidentUpdate.TicketAction.RESOLVE)
        assert received == []  # announced only once the resolution is committed

    incident.refresh_from_db()
    assert incident.state == "resolved"
    assert incident.resolved_at
    assert sorted(message.to[0] for message in mail.outbox) == [
        "c0@example.hu",
        "c1@example.hu",
        "c2@example.hu",
    ]
    assert "Megoldva" in mail.outbox[0].subject or incident.title_hu in mail.outbox[0].subject
    assert set(Ticket.objects.values_list("status", flat=True)) == {"resolved"}
    assert received == [(incident.pk, sorted(ticket.pk for ticket in linked))]
    assert incident.events.filter(kind=IncidentEvent.Kind.TICKETS_SETTLED).count() == 1


def test_reopen_brings_back_the_closed_linked_requests(incident, linked, agent, manager, received):
    resolve(incident, agent, manager, IncidentUpdate.TicketAction.REOPEN)

    assert Ticket.objects.get(pk=linked[2].pk).status == "open"
    assert Ticket.objects.get(pk=linked[0].pk).status == "new"


def test_the_resolution_is_announced_once_even_if_the_task_runs_again(
    incident, linked, agent, manager, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        final = resolve(incident, agent, manager, IncidentUpdate.TicketAction.LEAVE)
        sending.send(final.pk)

    assert len(received) == 1
    assert Ticket.objects.get(pk=linked[0].pk).status == "new"


def test_the_final_statement_needs_a_second_person(incident, manager):
    final = IncidentUpdate.draft(incident, by=manager, texts=UPDATE, final=True)

    with pytest.raises(Exception, match="second person"):
        final.publish(by=manager)
    incident.refresh_from_db()
    assert incident.is_active


def test_a_resolved_incident_takes_no_more_updates(incident, agent, manager):
    resolve(incident, agent, manager, IncidentUpdate.TicketAction.LEAVE)

    # In English whatever language an earlier test in this process left active.
    with translation.override("en"), pytest.raises(InvalidTransition, match="resolved"):
        IncidentUpdate.draft(incident, by=agent, texts=UPDATE)


def test_the_status_page_shows_the_incident_and_its_updates(client, incident, linked, agent, manager):
    update = IncidentUpdate.draft(incident, by=agent, texts=UPDATE)
    update.publish(by=manager)

    page = client.get(f"/status/{linked[0].status_token}/", HTTP_ACCEPT_LANGUAGE="hu").content.decode()

    assert 'data-testid="crisis-status"' in page
    assert UPDATE["hu"] in page
    assert page.count('data-testid="crisis-update"') == 2
