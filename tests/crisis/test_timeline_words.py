"""The incident's timeline and its post-incident report speak the reader's language: stored codes
(kinds, states, "resolve: 2") never reach the page."""

import re

import pytest

from crisis.models import IncidentEvent, IncidentTicket

CODES = [
    "update_published",
    "tickets_settled",
    "state_changed",
    "resolve: 2",
    "declared →",
    "→ investigating",
]
WORDS = {
    "pl": [
        "Ogłoszony → Trwa analiza",
        "Aktualizacja opublikowana",
        "Powiązano 3 zgłoszenia",
        "Rozwiązano 2 powiązane zgłoszenia",
    ],
    "hu": [
        "Bejelentve → Vizsgálat alatt",
        "Közlemény közzétéve",
        "3 bejelentés kapcsolva",
        "2 kapcsolt bejelentés megoldva",
    ],
}


@pytest.fixture
def told_incident(incident, manager):
    for kind, extra in (
        ("state_changed", {"state_before": "declared", "state_after": "investigating"}),
        ("update_published", {"text": "We found the cause."}),
        ("linked", {"text": "3"}),
        ("tickets_settled", {"text": "resolve: 2"}),
    ):
        IncidentEvent.objects.create(incident=incident, kind=kind, actor=manager, **extra)
    return incident


@pytest.mark.parametrize("language", ["pl", "hu"])
@pytest.mark.parametrize("page", ["/crisis/incidents/{pk}/", "/crisis/incidents/{pk}/report/"])
def test_the_incident_timeline_is_in_the_readers_words_without_codes(
    client, manager, told_incident, language, page
):
    client.force_login(manager)

    response = client.get(page.format(pk=told_incident.pk), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    text = response.content.decode()
    for words in WORDS[language]:
        assert words in text
    for code in CODES:
        assert code not in text


@pytest.mark.parametrize(("language", "label"), [("pl", "Incydent"), ("hu", "Incidens")])
def test_the_compensation_form_labels_the_incident_in_the_readers_language(
    client, agent, incident, make_ticket, language, label
):
    ticket = make_ticket()
    IncidentTicket.objects.create(incident=incident, ticket=ticket, via=IncidentTicket.Via.AGENT)
    client.force_login(agent)

    response = client.get(
        f"/crisis/tickets/{ticket.reference}/compensation/new/", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(rf">\s*{label}\s*<", text)
    assert not re.search(r">\s*Incident\s*<", text)
