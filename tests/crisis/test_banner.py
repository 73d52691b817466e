"""The public acknowledgement: a banner on every customer page, cached, in the customer's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis import banner
from crisis.models import Incident, IncidentUpdate
from devtools.demo import crisis as demo_crisis
from tests.crisis.conftest import UPDATE


def test_home_page_shows_the_statement_in_hungarian(client, incident):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="hu").content.decode()

    assert 'data-testid="crisis-banner"' in page
    assert "Nem működik a kártyás fizetés" in page
    assert "Egyes ügyfeleinknél nem működik a kártyás fizetés." in page
    assert 'data-testid="crisis-fallback"' not in page


def test_without_a_translation_the_banner_falls_back_to_english_and_says_so(client, incident):
    IncidentUpdate.objects.filter(incident=incident).update(text_pl="")
    banner.forget()

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()

    assert "Card payments fail for some customers." in page
    assert 'data-testid="crisis-fallback"' in page


@pytest.mark.parametrize("url", ["/", "/tickets/new/"])
def test_every_customer_page_carries_the_banner(client, incident, url):
    assert 'data-testid="crisis-banner"' in client.get(url).content.decode()


def test_no_banner_without_an_active_incident(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "crisis-banner" not in response.content.decode()


def test_banner_costs_no_query_when_cached_and_one_when_cold(client, incident, make_incident):
    client.get("/")  # warm the cache
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    banner.forget()
    with CaptureQueriesContext(connection) as cold:
        client.get("/")
    make_incident(title="Mobile app login")  # a second incident: still one query
    with CaptureQueriesContext(connection) as cold_two:
        client.get("/")

    crisis_queries = lambda ctx: [q for q in ctx.captured_queries if "crisis_" in q["sql"]]  # noqa: E731
    assert crisis_queries(warm) == []
    assert len(crisis_queries(cold)) == 1
    assert len(crisis_queries(cold_two)) == 1
    assert len(warm) == len(cold) - 1


def test_publishing_shows_the_new_statement_at_once(client, draft, other_manager):
    client.get("/")  # cached with the first statement
    draft.publish(by=other_manager)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert UPDATE["en"] in page


def test_a_resolved_incident_leaves_the_banner(client, incident, agent, other_manager):
    client.get("/")
    final = IncidentUpdate.draft(incident, by=agent, texts=UPDATE, final=True)
    final.publish(by=other_manager)

    response = client.get("/")

    assert response.status_code == 200
    assert "crisis-banner" not in response.content.decode()


def test_staff_pages_show_the_agent_notice_instead(client, incident, agent):
    client.force_login(agent)

    page = client.get("/agent/").content.decode()

    assert 'data-testid="crisis-staff-notice"' in page
    assert "crisis-banner" not in page


def banner_of(page: str) -> str:
    return page.split('data-testid="crisis-banner"')[1].split('data-testid="crisis-report"')[0]


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_an_incident_without_a_statement_shows_no_translation_notice_and_no_stray_separator(
    client, manager, language
):
    Incident.objects.create(title="Double charge", affected_service="Billing", declared_by=manager)
    banner.forget()

    page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    shown = banner_of(page)
    assert "Double charge" in shown
    assert 'data-testid="crisis-fallback"' not in shown
    assert 'data-testid="crisis-statement"' not in shown  # no empty paragraph either
    assert "·" not in shown


def test_the_translation_notice_comes_only_with_the_text_and_no_stray_separator(client, incident):
    IncidentUpdate.objects.filter(incident=incident).update(text_hu="", published_at=None)
    banner.forget()

    shown = banner_of(client.get("/", HTTP_ACCEPT_LANGUAGE="hu").content.decode())

    assert "Card payments fail for some customers." in shown
    assert 'data-testid="crisis-fallback"' in shown
    assert "·" not in shown


@pytest.mark.parametrize(
    ("language", "words"), [("en", "charged twice"), ("hu", "kétszer"), ("pl", "dwukrotnie")]
)
def test_the_demo_incident_has_its_statement_in_every_language(client, agent, manager, language, words):
    demo_crisis.seed(agent=agent, manager=manager)
    banner.forget()

    shown = banner_of(client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode())

    statement = shown.split('data-testid="crisis-statement"')[1].split("</p>")[0]
    assert words in statement
    assert 'data-testid="crisis-fallback"' not in shown


# --- the lobby screen of a branch ------------------------------------------------------------


@pytest.fixture
def lobby_branch(budapest_calendar):
    from helpdesk.models import Branch

    return Branch.objects.create(
        name="Budapest, Váci út",
        slug="vaci",
        address="Váci út 37",
        calendar=budapest_calendar,
        display_language="hu",
    )


def test_the_lobby_screen_shows_the_incident_large_and_without_a_form(client, incident, lobby_branch):
    response = client.get(f"/display/{lobby_branch.slug}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="lobby-incident"' in page
    assert "Nem működik a kártyás fizetés" in page
    assert "Egyes ügyfeleinknél nem működik a kártyás fizetés." in page
    assert 'data-testid="crisis-banner"' not in page
    assert "<form" not in page
    assert "<input" not in page


def test_the_lobby_screen_has_no_incident_notice_without_an_incident(client, lobby_branch):
    response = client.get(f"/display/{lobby_branch.slug}/board/")

    assert response.status_code == 200
    assert 'data-testid="lobby-board"' in response.content.decode()
    assert "lobby-incident" not in response.content.decode()
