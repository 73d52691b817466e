"""Linking: suggestions computed in the database, bulk linking, one click from a ticket."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crisis import matching
from crisis.models import IncidentTicket
from helpdesk.models import Ticket


@pytest.fixture
def requests(make_ticket, category, queue):
    """Requests in every relation to the incident (keywords: kártya, karta, card)."""
    return {
        "category": make_ticket(subject="Something odd", body="Nothing specific", category=category),
        "hungarian": make_ticket(subject="KÁRTYÁS fizetés hiba", body="...", email="a@example.hu"),
        "polish_no_accents": make_ticket(
            subject="Problem", body="Moja karta nie działa", email="b@example.pl"
        ),
        "polish_accents": make_ticket(subject="Problem z KARTĄ", body="x", email="c@example.pl"),
        "unrelated": make_ticket(subject="Address change", body="I moved house", email="d@example.hu"),
    }


def test_suggestions_match_category_and_keywords_without_case_or_accents(incident, requests):
    suggested = set(matching.suggestions(incident).values_list("pk", flat=True))

    expected = {requests[key].pk for key in ("category", "hungarian", "polish_no_accents", "polish_accents")}
    assert suggested == expected


def test_keywords_with_accents_find_text_without(incident, make_ticket):
    incident.match_keywords = "Áramszünet"
    incident.save()
    ticket = make_ticket(subject="aramszunet van", body="-", email="e@example.hu")

    assert list(matching.suggestions(incident).values_list("pk", flat=True)) == [ticket.pk]


def test_suggestions_leave_out_linked_closed_and_out_of_window_requests(incident, requests, manager):
    incident.link(requests["category"], via="agent", by=manager)
    requests["hungarian"].resolve(by=manager)
    Ticket.objects.filter(pk=requests["polish_accents"].pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    incident.match_from = timezone.now() - timedelta(hours=1)
    incident.save()

    assert list(matching.suggestions(incident).values_list("pk", flat=True)) == [
        requests["polish_no_accents"].pk
    ]


def test_agent_links_the_chosen_suggestions_in_bulk(client, incident, requests, agent):
    client.force_login(agent)
    chosen = [requests["hungarian"].pk, requests["polish_accents"].pk, requests["unrelated"].pk]

    client.post(f"/crisis/incidents/{incident.pk}/link/", {"tickets": chosen})

    linked = set(IncidentTicket.objects.filter(incident=incident).values_list("ticket_id", "via"))
    # The unrelated request was not suggested, so it is not linked even if posted.
    assert linked == {(requests["hungarian"].pk, "bulk"), (requests["polish_accents"].pk, "bulk")}
    assert requests["hungarian"].entries.filter(event="incident_linked").exists()


def test_suggestions_page_lists_them(client, incident, requests, agent):
    client.force_login(agent)

    page = client.get(f"/crisis/incidents/{incident.pk}/suggestions/").content.decode()

    assert requests["polish_no_accents"].reference in page
    assert requests["unrelated"].reference not in page


def test_one_click_link_from_a_phone_call(client, incident, make_ticket, agent):
    call = make_ticket(channel="phone", by=agent, subject="Card declined at the shop", email="f@example.hu")
    client.force_login(agent)

    workspace = client.get(call.get_absolute_url()).content.decode()
    assert 'data-testid="crisis-link"' in workspace
    response = client.post(
        f"/crisis/incidents/{incident.pk}/link-ticket/",
        {"reference": call.reference, "next": call.get_absolute_url()},
    )

    assert response.url == call.get_absolute_url()
    assert IncidentTicket.objects.get(ticket=call).via == IncidentTicket.Via.CALL
    workspace = client.get(call.get_absolute_url()).content.decode()
    assert "Linked to incident" in workspace
    assert 'data-testid="crisis-link"' not in workspace


def test_linking_twice_links_once(incident, make_ticket, agent):
    ticket = make_ticket()

    assert incident.link(ticket, via="agent", by=agent) is True
    assert incident.link(ticket, via="agent", by=agent) is False
    assert IncidentTicket.objects.count() == 1


def test_an_outside_redirect_after_linking_is_ignored(client, incident, make_ticket, agent):
    ticket = make_ticket()
    client.force_login(agent)

    response = client.post(
        f"/crisis/incidents/{incident.pk}/link-ticket/",
        {"reference": ticket.reference, "next": "https://evil.example/"},
    )

    assert response.url == ticket.get_absolute_url()
