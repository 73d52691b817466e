"""The customer asks for a copy of their data on their status page: a link by email to the
address on record, valid for a limited time."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpdesk.models import Notification
from helpdesk.personal_data.erasure import erase_customer
from helpdesk.personal_data.export import DOCUMENT


@pytest.fixture
def ticket(make_ticket, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_ticket(email="katalin@example.hu", language="hu")


@pytest.fixture
def token(ticket):
    return ticket.draw_status_link()


def ask(client, token):
    return client.post(reverse("helpdesk:status-personal-data", args=[token]))


def emailed_link() -> str:
    message = Notification.objects.get(kind=Notification.Kind.PERSONAL_DATA)
    return re.search(r"https?://\S+/my-data/\S+/", message.body_text).group(0)


def test_the_link_goes_to_the_address_on_record_in_her_language_and_downloads_her_data(
    client, token, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    page = client.get(reverse("helpdesk:status", args=[token])).content.decode()
    assert reverse("helpdesk:status-personal-data", args=[token]) in page

    response = ask(client, token)

    assert response.status_code == 302
    message = Notification.objects.get(kind=Notification.Kind.PERSONAL_DATA)
    assert (message.to_email, message.language) == ("katalin@example.hu", "hu")
    assert "adatai" in message.subject
    download = client.get(path_of(emailed_link()))
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        document = json.loads(archive.read(DOCUMENT))
    assert document["customer"]["email"] == "katalin@example.hu"


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_each_click_sends_one_email_and_a_fourth_in_a_day_is_refused(client, token):
    for _ in range(3):
        ask(client, token)

    response = ask(client, token)

    assert Notification.objects.filter(kind=Notification.Kind.PERSONAL_DATA).count() == 3
    assert "Please try again after" in str(list(response.wsgi_request._messages)[-1])


def test_an_expired_link_gives_a_clear_page(client, token, time_machine, settings):
    time_machine.move_to(timezone.now(), tick=False)
    ask(client, token)
    time_machine.shift(timedelta(days=settings.PERSONAL_DATA_LINK_DAYS, minutes=1))

    response = client.get(path_of(emailed_link()))

    assert response.status_code == 410
    assert b"has expired" in response.content


def test_a_tampered_link_gives_a_clear_page(client, token):
    ask(client, token)
    url = path_of(emailed_link())

    response = client.get(url.replace("/my-data/", "/my-data/9"))

    assert response.status_code == 404
    assert b'data-testid="personal-data-link-problem"' in response.content


def test_after_erasure_the_link_and_the_status_page_answer_404(client, ticket, token):
    ask(client, token)
    url = path_of(emailed_link())

    erase_customer(ticket.customer)

    assert client.get(url).status_code == 404
    assert client.get(reverse("helpdesk:status", args=[token])).status_code == 404


def test_a_get_does_not_send_anything(client, token):
    assert client.get(reverse("helpdesk:status-personal-data", args=[token])).status_code == 405
    assert not Notification.objects.filter(kind=Notification.Kind.PERSONAL_DATA).exists()
