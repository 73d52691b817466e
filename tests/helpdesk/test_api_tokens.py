"""Managers give other systems API tokens: created once, stored hashed, switched off at will."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from helpdesk.models import ApiIntegration

LIST_URL = "/manage/integrations/"
CREATE_URL = "/manage/integrations/new/"


@pytest.fixture
def make_integration(manager):
    def make(name="Web shop", **fields):
        integration, _token = ApiIntegration.objects.create_with_token(name=name, created_by=manager)
        if fields:
            ApiIntegration.objects.filter(pk=integration.pk).update(**fields)
            integration.refresh_from_db()
        return integration

    return make


# --- the token ---------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_hash(db):
    integration, token = ApiIntegration.objects.create_with_token(name="Web shop")

    row = ApiIntegration.objects.filter(pk=integration.pk).values().get()
    assert token not in str(row)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["token_hint"] == token[-4:]
    assert ApiIntegration.objects.authenticate(token) == integration
    assert ApiIntegration.objects.authenticate(token[:-1]) is None
    assert ApiIntegration.objects.authenticate("") is None


def test_the_command_prints_the_token_as_the_last_word_of_its_last_line(db):
    out = StringIO()

    call_command("create_api_token", "Social inbox", stdout=out)

    token = out.getvalue().strip().splitlines()[-1].split()[-1]
    integration = ApiIntegration.objects.authenticate(token)
    assert integration.name == "Social inbox"
    assert integration.token_hash != token


def test_the_command_refuses_a_name_already_taken(db):
    call_command("create_api_token", "Web shop", stdout=StringIO())

    with pytest.raises(CommandError, match="already exists"):
        call_command("create_api_token", "Web shop", stdout=StringIO())
    assert ApiIntegration.objects.count() == 1


# --- the managers' page ----------------------------------------------------------------------


def test_a_manager_sees_every_integration_without_its_token(client, manager, make_integration):
    make_integration("Web shop")
    make_integration("Old chatbot", is_active=False)
    client.force_login(manager)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Web shop" in page
    assert "Old chatbot" in page
    assert "Never" in page
    assert "Deactivated" in page
    assert 'href="/manage/integrations/"' in page  # in the managers' navigation


def test_the_list_issues_a_fixed_number_of_queries(
    client, manager, make_integration, django_assert_num_queries
):
    for name in ("Web shop", "Social inbox", "Old chatbot"):
        make_integration(name)
    client.force_login(manager)

    # session, the user with their roles, integrations with their creators
    with django_assert_num_queries(3):
        response = client.get(LIST_URL)
    assert len(response.context["integrations"]) == 3


def test_agents_cannot_manage_integrations(client, agent, make_integration):
    integration = make_integration()
    client.force_login(agent)

    assert client.get(LIST_URL).status_code == 403
    assert client.post(CREATE_URL, {"name": "Sneaky"}).status_code == 403
    assert client.post(f"/manage/integrations/{integration.pk}/deactivate/").status_code == 403
    integration.refresh_from_db()
    assert integration.is_active
    assert not ApiIntegration.objects.filter(name="Sneaky").exists()
    assert LIST_URL not in client.get("/agent/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_creating_an_integration_shows_its_token_once(client, manager):
    client.force_login(manager)

    response = client.post(CREATE_URL, {"name": "Web shop"})

    assert response.status_code == 200
    token = response.context["token"]
    integration = ApiIntegration.objects.get(name="Web shop")
    assert ApiIntegration.objects.authenticate(token) == integration
    assert integration.created_by == manager
    page = response.content.decode()
    assert f'value="{token}"' in page
    assert "will not be shown again" in page
    assert "no-store" in response["Cache-Control"]
    assert token not in client.get(LIST_URL).content.decode()


def test_a_name_already_taken_keeps_what_was_typed(client, manager, make_integration):
    make_integration("Web shop")
    client.force_login(manager)

    response = client.post(CREATE_URL, {"name": "Web shop"})

    assert response.status_code == 200
    assert "token" not in response.context
    assert response.context["form"].errors["name"]
    assert 'value="Web shop"' in response.content.decode()
    assert ApiIntegration.objects.count() == 1


def test_creating_needs_a_post(client, manager):
    client.force_login(manager)
    assert client.get(CREATE_URL).status_code == 405


def test_a_manager_deactivates_and_reactivates_an_integration(client, manager, make_integration):
    integration = make_integration()
    client.force_login(manager)

    response = client.post(f"/manage/integrations/{integration.pk}/deactivate/", follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "can no longer use the API" in response.content.decode()
    integration.refresh_from_db()
    assert not integration.is_active

    client.post(f"/manage/integrations/{integration.pk}/reactivate/")
    integration.refresh_from_db()
    assert integration.is_active


def test_deactivating_needs_a_post(client, manager, make_integration):
    integration = make_integration()
    client.force_login(manager)

    assert client.get(f"/manage/integrations/{integration.pk}/deactivate/").status_code == 405
    assert client.get(f"/manage/integrations/{integration.pk}/reactivate/").status_code == 405
    integration.refresh_from_db()
    assert integration.is_active


def test_an_unknown_integration_is_404(client, manager):
    client.force_login(manager)
    assert client.post("/manage/integrations/999999/deactivate/").status_code == 404
