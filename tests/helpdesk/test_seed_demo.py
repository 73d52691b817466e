"""seed_demo creates the demo logins, prints them, and can run again."""

import io

import pytest
from django.core.management import CommandError, call_command

from crisis.models import Incident, IncidentUpdate
from helpdesk.models import Attachment, Category, Customer, Queue, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_files_in_a_folder_of_the_tests_own(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue().splitlines()


def test_seed_prints_each_login_and_the_password_works(settings, client):
    settings.DEBUG = True
    lines = [line for line in seed() if line.startswith("login ")]

    assert [line.split()[1:3] for line in lines] == [
        ["agent", "agent"],
        ["manager", "manager"],
        ["manager", "manager2"],
    ]
    for _, role, username, password in (line.split() for line in lines):
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, role
        assert client.get("/agent/").status_code == 200, role
        client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "manager", "password": lines[1].split()[3]})
    assert client.get("/manage/queues/").status_code == 200


def sign_in(client, line):
    _, _role, username, password = line.split()
    client.post("/accounts/logout/")
    assert client.post("/accounts/login/", {"username": username, "password": password}).status_code == 302


def test_the_second_demo_manager_publishes_an_update_the_first_drafted(settings, client):
    settings.DEBUG = True
    managers = [line for line in seed() if line.startswith("login manager ")]
    assert len(managers) == 2
    incident = Incident.objects.active().get()

    sign_in(client, managers[0])
    response = client.post(
        f"/crisis/incidents/{incident.pk}/updates/new/",
        {
            "text_en": "A fix is being tested.",
            "text_hu": "A javítást teszteljük.",
            "text_pl": "Testujemy poprawkę.",
        },
    )
    update = IncidentUpdate.objects.get(text_en="A fix is being tested.")
    assert response.status_code == 302
    assert 'data-testid="approve"' not in client.get(f"/crisis/updates/{update.pk}/").text

    sign_in(client, managers[1])
    assert 'data-testid="approve"' in client.get(f"/crisis/updates/{update.pk}/").text
    assert client.post(f"/crisis/updates/{update.pk}/approve/").status_code == 302
    update.refresh_from_db()
    assert update.state == IncidentUpdate.State.PUBLISHED
    assert update.author.username == "manager"
    assert update.reviewed_by.username == "manager2"


def test_seed_twice_changes_nothing(settings, django_user_model):
    settings.DEBUG = True
    first = seed()
    counts = {
        model: model.objects.count()
        for model in [django_user_model, Ticket, Customer, Queue, Category, Attachment]
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


def test_demo_requests_carry_pictures_with_thumbnails_and_bills_that_open(
    settings, client, django_user_model
):
    settings.DEBUG = True
    seed()
    client.force_login(django_user_model.objects.get(username="agent"))

    pictures = Attachment.objects.filter(content_type="image/png")
    bills = Attachment.objects.filter(content_type="application/pdf")
    assert pictures.count() >= 2
    assert bills.count() >= 2
    assert all(picture.thumbnail for picture in pictures)

    picture = pictures.select_related("entry__ticket").first()
    page = client.get(f"/agent/tickets/{picture.entry.ticket.reference}/").text
    assert f'src="/agent/files/{picture.pk}/thumbnail/"' in page
    bill = bills.first()
    opened = client.get(f"/agent/files/{bill.pk}/")
    assert opened.status_code == 200
    assert opened["Content-Type"] == "application/pdf"
    content = b"".join(opened.streaming_content)
    assert content.startswith(b"%PDF-1.4")
    assert content.rstrip().endswith(b"%%EOF")
    assert b"startxref\n%d\n" % content.index(b"xref\n0 ") in content  # the table is where it says
