"""seed_demo creates the demo logins, prints them, and can run again."""

import io

import pytest
from django.core.management import CommandError, call_command

from helpdesk.models import Category, Customer, Queue, Ticket

pytestmark = pytest.mark.django_db


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue().splitlines()


def test_seed_prints_each_login_and_the_password_works(settings, client):
    settings.DEBUG = True
    lines = [line for line in seed() if line.startswith("login ")]

    assert [line.split()[1:3] for line in lines] == [["agent", "agent"], ["manager", "manager"]]
    for _, role, username, password in (line.split() for line in lines):
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, role
        assert client.get("/agent/").status_code == 200, role
        client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "manager", "password": lines[1].split()[3]})
    assert client.get("/manage/queues/").status_code == 200


def test_seed_twice_changes_nothing(settings, django_user_model):
    settings.DEBUG = True
    first = seed()
    counts = {
        model: model.objects.count() for model in [django_user_model, Ticket, Customer, Queue, Category]
    }
    second = seed()

    assert [line for line in first if line.startswith("login")] == [
        line for line in second if line.startswith("login")
    ]
    assert {model: model.objects.count() for model in counts} == counts
    assert "demo tickets: 0 new" in second[0]


def test_seed_fills_every_channel_in_three_languages(settings):
    settings.DEBUG = True
    seed()
    assert set(Ticket.objects.values_list("channel", flat=True)) >= {"web", "email", "phone", "api"}
    assert set(Ticket.objects.values_list("language", flat=True)) == {"en", "hu", "pl"}
    assert Ticket.objects.count() >= 24
    assert Ticket.objects.filter(solved_on_first_contact=True, status="resolved").exists()


def test_seed_refuses_a_production_site(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
