"""The crisis area: who may enter, declaring through the form, the incident page's queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crisis.models import Incident, IncidentTicket, IncidentUpdate, Subscription
from tests.crisis.conftest import STATEMENT, UPDATE


@pytest.mark.parametrize(
    "url", ["/crisis/", "/crisis/incidents/new/", "/crisis/incidents/1/", "/crisis/updates/1/"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_staff_without_a_role_are_refused(client, outsider, incident):
    client.force_login(outsider)

    assert client.get("/crisis/").status_code == 403
    assert client.get(f"/crisis/incidents/{incident.pk}/").status_code == 403


def test_agents_see_the_incidents_but_cannot_declare_or_move(client, agent, incident):
    client.force_login(agent)

    assert incident.title in client.get("/crisis/").content.decode()
    assert client.get("/crisis/incidents/new/").status_code == 403
    assert client.post(f"/crisis/incidents/{incident.pk}/state/", {"state": "identified"}).status_code == 403


def declare_data(category, **overrides):
    return {
        "title": "Mobile app login fails",
        "title_hu": "Nem lehet belépni az alkalmazásba",
        "title_pl": "Nie można zalogować się w aplikacji",
        "affected_service": "Mobile app",
        "categories": [category.pk],
        "severity": "critical",
        "description": "Auth provider down",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "match_keywords": "belépés\nlogowanie\nlogin",
        **{f"text_{language}": text for language, text in STATEMENT.items()},
        **overrides,
    }


def test_a_manager_declares_through_the_form(client, manager, category):
    client.force_login(manager)

    response = client.post("/crisis/incidents/new/", declare_data(category))

    incident = Incident.objects.get()
    assert response.url == f"/crisis/incidents/{incident.pk}/"
    assert incident.declared_by == manager
    assert list(incident.categories.all()) == [category]
    assert incident.updates.get().state == IncidentUpdate.State.PUBLISHED
    assert "Nem lehet belépni az alkalmazásba" in client.get("/", HTTP_ACCEPT_LANGUAGE="hu").content.decode()


def test_a_rejected_declaration_keeps_what_was_typed(client, manager, category):
    client.force_login(manager)

    response = client.post("/crisis/incidents/new/", declare_data(category, text_pl=""))

    assert response.status_code == 200
    assert "Nem lehet belépni az alkalmazásba" in response.content.decode()
    assert not Incident.objects.exists()


def test_a_manager_moves_the_incident_on(client, manager, incident):
    client.force_login(manager)

    client.post(f"/crisis/incidents/{incident.pk}/state/", {"state": "identified", "note": "Gateway"})

    incident.refresh_from_db()
    assert incident.state == "identified"
    page = client.get(f"/crisis/incidents/{incident.pk}/").content.decode()
    assert "Gateway" in page


def grow(incident, make_ticket, agent, size):
    for number in range(size):
        ticket = make_ticket(
            email=f"grow{size}-{number}@example.hu", channel=("web", "phone", "email")[number % 3]
        )
        IncidentTicket.objects.create(incident=incident, ticket=ticket, via="agent")
        Subscription.objects.create(incident=incident, email=f"s{size}-{number}@example.com")
        IncidentUpdate.draft(incident, by=agent, texts=UPDATE)


def test_the_incident_page_issues_the_same_queries_at_any_size(client, manager, agent, incident, make_ticket):
    client.force_login(manager)
    grow(incident, make_ticket, agent, 2)
    client.get(f"/crisis/incidents/{incident.pk}/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/crisis/incidents/{incident.pk}/")
    grow(incident, make_ticket, agent, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(f"/crisis/incidents/{incident.pk}/")

    assert len(small) == len(large)
    page = response.content.decode()
    assert "14 linked requests" in page
    assert 'data-testid="hourly-chart"' in page
    assert "<rect" in page


def test_the_incident_list_issues_the_same_queries_at_any_size(client, agent, make_incident):
    client.force_login(agent)
    make_incident(title="First")
    client.get("/crisis/")
    with CaptureQueriesContext(connection) as small:
        client.get("/crisis/")
    for number in range(5):
        make_incident(title=f"More {number}")
    client.get("/crisis/")  # warm the banner cache again
    with CaptureQueriesContext(connection) as large:
        client.get("/crisis/")

    assert len(small) == len(large)


def test_subscribers_list(client, agent, incident):
    Subscription.objects.create(incident=incident, email="eve@example.com", confirmed_at=timezone.now())
    client.force_login(agent)

    assert "eve@example.com" in client.get(f"/crisis/incidents/{incident.pk}/subscribers/").content.decode()


def test_the_status_page_of_a_linked_request_issues_the_same_queries_with_more_updates(
    client, incident, make_ticket, agent, manager
):
    ticket = make_ticket()
    incident.link(ticket, via="agent", by=agent)
    client.get(f"/status/{ticket.status_token}/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/status/{ticket.status_token}/")
    for _number in range(4):
        IncidentUpdate.draft(incident, by=agent, texts=UPDATE).publish(by=manager)
    client.get(f"/status/{ticket.status_token}/")  # warm the banner again
    with CaptureQueriesContext(connection) as large:
        client.get(f"/status/{ticket.status_token}/")

    assert len(small) == len(large)
