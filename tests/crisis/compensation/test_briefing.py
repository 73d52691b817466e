"""Managers brief the agents; every agent page shows the briefing until that version is read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.models import Briefing, BriefingAcknowledgement, Incident

pytestmark = pytest.mark.django_db

CONTENT = {
    "what_we_know": "November bills were charged twice for some customers.",
    "what_to_say": "We know, we are refunding automatically.",
    "what_not_to_promise": "A refund date.",
    "phrases_hu": "Tudunk a hibáról, és automatikusan visszatérítjük.",
    "phrases_pl": "Wiemy o błędzie i zwrócimy środki automatycznie.",
}


@pytest.fixture
def briefing(incident, manager):
    return Briefing.publish(incident=incident, by=manager, **CONTENT)


def test_a_manager_writes_the_briefing_and_each_change_is_a_new_version(client, manager, incident):
    client.force_login(manager)

    client.post(f"/crisis/incidents/{incident.pk}/briefing/edit/", CONTENT)
    client.post(
        f"/crisis/incidents/{incident.pk}/briefing/edit/", {**CONTENT, "what_we_know": "Only Visa cards."}
    )

    versions = list(Briefing.objects.order_by("version").values_list("version", "is_current", "what_we_know"))
    assert versions == [(1, False, CONTENT["what_we_know"]), (2, True, "Only Visa cards.")]


def test_the_edit_form_starts_from_the_current_version_and_keeps_typed_text_when_invalid(
    client, manager, incident, briefing
):
    client.force_login(manager)

    assert CONTENT["what_to_say"] in client.get(f"/crisis/incidents/{incident.pk}/briefing/edit/").text
    response = client.post(
        f"/crisis/incidents/{incident.pk}/briefing/edit/",
        {**CONTENT, "what_we_know": "", "what_to_say": "Kept"},
    )
    assert response.status_code == 200
    assert "Kept" in response.text
    assert Briefing.objects.count() == 1


def test_agents_cannot_write_the_briefing(client, agent, incident):
    client.force_login(agent)

    assert client.post(f"/crisis/incidents/{incident.pk}/briefing/edit/", CONTENT).status_code == 403
    assert not Briefing.objects.exists()


def test_every_agent_page_shows_the_unread_briefing(client, agent, briefing):
    client.force_login(agent)

    for url in ("/agent/", "/agent/calendars/", "/agent/mail/quarantine/"):
        page = client.get(url).text
        assert 'data-testid="briefing-notice"' in page
        assert "We know, we are refunding automatically." in page
        assert "Tudunk a hibáról" in page


def test_customers_never_see_the_briefing(client, briefing, make_ticket):
    ticket = make_ticket()

    home, status_page = client.get("/"), client.get(f"/status/{ticket.status_token}/")

    assert (home.status_code, status_page.status_code) == (200, 200)
    assert 'data-testid="briefing-notice"' not in home.text
    assert "refunding automatically" not in status_page.text


def test_acknowledging_hides_it_and_a_new_version_asks_again(client, agent, manager, incident, briefing):
    client.force_login(agent)

    response = client.post(f"/crisis/briefings/{briefing.pk}/read/", {"next": "/agent/calendars/"})

    assert response["Location"] == "/agent/calendars/"
    assert 'data-testid="briefing-notice"' not in client.get("/agent/").text
    Briefing.publish(incident=incident, by=manager, **{**CONTENT, "what_to_say": "Refunds by Friday."})
    page = client.get("/agent/").text
    assert 'data-testid="briefing-notice"' in page
    assert "Refunds by Friday." in page


def test_acknowledging_twice_keeps_one_record_and_ignores_a_foreign_next(client, agent, briefing):
    client.force_login(agent)

    client.post(f"/crisis/briefings/{briefing.pk}/read/")
    response = client.post(f"/crisis/briefings/{briefing.pk}/read/", {"next": "https://evil.example/"})

    assert BriefingAcknowledgement.objects.count() == 1
    assert response["Location"] == f"/crisis/incidents/{briefing.incident_id}/briefing/"


def test_a_resolved_incident_no_longer_asks(client, agent, briefing, incident):
    Incident.objects.filter(pk=incident.pk).update(state=Incident.State.RESOLVED)
    client.force_login(agent)

    response = client.get("/agent/")

    assert response.status_code == 200
    assert 'data-testid="briefing-notice"' not in response.text


def test_managers_see_who_has_read_which_version(client, agent, other_agent, manager, incident, briefing):
    briefing.acknowledge(by=agent)
    newer = Briefing.publish(incident=incident, by=manager, **CONTENT)
    newer.acknowledge(by=other_agent)
    client.force_login(manager)

    response = client.get(f"/crisis/incidents/{incident.pk}/briefing/")

    readers = {
        person.username: (person.read_version, bool(person.read_current_at))
        for person in response.context["readers"]
    }
    assert readers == {"anna": (1, False), "bence": (2, True), "marek": (None, False)}


def test_agents_read_the_briefing_page_without_the_readers(client, agent, incident, briefing):
    client.force_login(agent)

    response = client.get(f"/crisis/incidents/{incident.pk}/briefing/")

    assert response.context["readers"] is None
    assert "refunding automatically" in response.text


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_notice_costs_one_query_however_many_incidents(client, agent, manager):
    client.force_login(agent)
    first = Incident.objects.create(title="One", declared_by=manager)
    Briefing.publish(incident=first, by=manager, **CONTENT)
    one = count_queries(client, "/agent/calendars/")
    for number in range(4):
        incident = Incident.objects.create(title=f"More {number}", declared_by=manager)
        Briefing.publish(incident=incident, by=manager, **CONTENT)
    five = count_queries(client, "/agent/calendars/")

    assert one == five
    assert client.get("/agent/calendars/").text.count('data-testid="briefing-notice"') == 5


def test_agent_pages_ask_nothing_until_an_active_incident_has_a_briefing(client, agent, manager, incident):
    client.force_login(agent)
    client.get("/agent/calendars/")  # the banner's cached state is warm, as on a running site
    without = count_queries(client, "/agent/calendars/")

    Briefing.publish(incident=incident, by=manager, **CONTENT)

    page = client.get("/agent/calendars/").text  # shown at once: publishing forgot the cached state
    assert 'data-testid="briefing-notice"' in page
    assert count_queries(client, "/agent/calendars/") == without + 1  # who has read it
