"""Editing the FAQ in the application: who may, the form in three languages, preview, publish."""

import pytest
from django.contrib.auth.models import Permission

from helpdesk.models import FaqEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(agent):
    """An agent a manager trusted with the FAQ."""
    agent.user_permissions.add(Permission.objects.get(codename="change_faqentry"))
    return agent


def form_data(category, **overrides):
    return {
        "category": category.pk,
        "slug": "roaming-prices",
        "position": 0,
        "question_en": "What does roaming cost?",
        "answer_en": "Nothing in the EU.",
        "question_hu": "Mennyibe kerül a roaming?",
        "answer_hu": "Az EU-ban semmibe.",
        "question_pl": "",
        "answer_pl": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/agent/faq/"),
        ("get", "/agent/faq/new/"),
        ("get", "/agent/faq/{pk}/"),
        ("get", "/agent/faq/{pk}/preview/"),
        ("post", "/agent/faq/{pk}/publish/"),
        ("post", "/agent/faq/{pk}/unpublish/"),
        ("get", "/agent/faq/categories/new/"),
        ("post", "/agent/faq/categories/{category}/"),
    ],
)
def test_agent_without_permission_gets_403_and_customer_is_sent_to_login(
    client, agent, make_entry, method, url
):
    entry = make_entry("entry")
    url = url.format(pk=entry.pk, category=entry.category_id)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    client.force_login(agent)
    assert getattr(client, method)(url).status_code == 403


def test_outsider_with_the_permission_but_no_role_gets_403(client, db, make_entry):
    user = UserFactory(username="former")
    user.user_permissions.add(Permission.objects.get(codename="change_faqentry"))
    client.force_login(user)
    assert client.get("/agent/faq/").status_code == 403


def test_managers_hold_the_permission_through_their_group(client, manager):
    client.force_login(manager)
    page = client.get("/agent/faq/")
    assert page.status_code == 200
    assert 'href="/agent/faq/"' in page.text  # in the Management menu


def test_granted_agent_finds_edit_links_on_the_public_faq(client, editor, make_entry):
    entry = make_entry("entry")
    client.force_login(editor)
    assert 'href="/agent/faq/"' in client.get("/faq/").text
    assert f'href="/agent/faq/{entry.pk}/"' in client.get("/faq/entry/").text


def test_agent_without_permission_sees_no_edit_links(client, agent, make_entry):
    make_entry("entry")
    client.force_login(agent)
    for response in (client.get("/faq/"), client.get("/faq/entry/")):
        assert response.status_code == 200
        assert 'data-testid="faq-manage-link"' not in response.text


def test_create_saves_a_draft_and_shows_the_preview(client, editor, faq_category):
    client.force_login(editor)
    response = client.post("/agent/faq/new/", form_data(faq_category))
    entry = FaqEntry.objects.get(slug="roaming-prices")
    assert response["Location"] == f"/agent/faq/{entry.pk}/preview/"
    assert not entry.is_published
    assert entry.updated_by == editor
    preview = client.get(response["Location"]).text
    assert "Mennyibe kerül a roaming?" in preview
    assert "Not written in this language yet" in preview  # Polish falls back
    assert client.get("/faq/roaming-prices/").status_code == 404


def test_rejected_form_keeps_what_was_typed(client, editor, faq_category):
    client.force_login(editor)
    response = client.post("/agent/faq/new/", form_data(faq_category, answer_hu=""))
    assert response.status_code == 200
    assert "Write both the question and the answer in this language, or neither." in response.text
    assert "Mennyibe kerül a roaming?" in response.text
    assert not FaqEntry.objects.exists()


def test_an_entry_needs_one_complete_language(client, editor, faq_category):
    client.force_login(editor)
    data = form_data(faq_category, question_en="", answer_en="", question_hu="", answer_hu="")
    response = client.post("/agent/faq/new/", data)
    assert "Write the question and the answer in at least one language." in response.text


def test_edit_changes_the_texts_and_the_search(client, editor, make_entry):
    entry = make_entry("entry", question_en="Old question", answer_en="Old")
    client.force_login(editor)
    data = form_data(entry.category, slug="entry", question_pl="Płatność kartą?", answer_pl="Tak.")
    client.post(f"/agent/faq/{entry.pk}/", data)
    entry.refresh_from_db()
    assert entry.question_pl == "Płatność kartą?"
    assert " platnosc karta " in entry.search_questions


def test_publish_and_unpublish(client, editor, make_entry):
    entry = make_entry("entry", published=False)
    client.force_login(editor)
    assert client.get(f"/agent/faq/{entry.pk}/publish/").status_code == 405
    client.post(f"/agent/faq/{entry.pk}/publish/")
    entry.refresh_from_db()
    assert entry.is_published
    assert entry.published_at is not None
    client.logout()
    assert client.get("/faq/entry/").status_code == 200

    client.force_login(editor)
    client.post(f"/agent/faq/{entry.pk}/unpublish/")
    entry.refresh_from_db()
    assert not entry.is_published
    client.logout()
    assert client.get("/faq/entry/").status_code == 404


def test_list_filters_by_state_category_missing_language_and_words(client, editor, make_entry):
    make_entry("live", question_en="Roaming abroad", question_hu="Roaming külföldön", answer_hu="Igen")
    make_entry("draft", published=False, question_en="Meter reading")
    client.force_login(editor)
    assert "Meter reading" in client.get("/agent/faq/").text
    drafts = client.get("/agent/faq/?state=draft").text
    assert "Meter reading" in drafts
    assert "Roaming abroad" not in drafts
    missing_hu = client.get("/agent/faq/?missing=hu").text
    assert "Meter reading" in missing_hu
    assert "Roaming abroad" not in missing_hu
    found = client.get("/agent/faq/?q=kulfold").text
    assert "Roaming abroad" in found
    assert "Meter reading" not in found
    combined = client.get("/agent/faq/?q=reading&state=draft&missing=hu").text
    assert "Meter reading" in combined
    assert "Roaming abroad" not in combined


def test_list_says_when_there_are_more_entries_than_shown(client, editor, make_entry, monkeypatch):
    monkeypatch.setattr("helpdesk.views.faq_staff.PAGE_SIZE", 2)
    for number in range(3):
        make_entry(f"entry-{number}")
    client.force_login(editor)
    assert 'data-testid="more-entries"' in client.get("/agent/faq/").text
    assert 'data-testid="more-entries"' not in client.get("/agent/faq/?q=entry&state=draft").text


def test_editor_adds_a_category(client, editor):
    client.force_login(editor)
    data = {
        "slug": "roaming",
        "name_en": "Roaming",
        "name_hu": "Roaming",
        "name_pl": "Roaming",
        "position": 2,
    }
    assert client.post("/agent/faq/categories/new/", data).status_code == 302
    assert client.get("/agent/faq/").status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_staff_list_issues_a_fixed_number_of_queries(
    client, editor, make_entry, django_assert_num_queries, size
):
    for number in range(size):
        make_entry(f"entry-{number}")
    client.force_login(editor)
    client.get("/agent/faq/")
    # Session, the user with their roles, permissions (2), the entries, the categories.
    with django_assert_num_queries(6):
        assert client.get("/agent/faq/").status_code == 200
