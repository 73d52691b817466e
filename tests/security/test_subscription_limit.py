"""Crisis updates by email: one client cannot have confirmation requests mailed to any number
of addresses (each address gets at most one an hour; each client address a few an hour)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from crisis.models import Incident, Subscription
from helpdesk.models import Notification
from tests.crisis.conftest import STATEMENT

IP = "203.0.113.7"


def subscribe(client, incident, email, ip=IP, language="en"):
    return client.post(
        f"/crisis/subscribe/{incident.pk}/", {"email": email}, REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language
    )


def confirmations() -> int:
    return Notification.objects.filter(kind=Notification.Kind.CONFIRMATION).count()


@pytest.fixture
def incident(manager, category):
    return Incident.declare(
        title="Card payments failing",
        title_hu="Nem működik a kártyás fizetés",
        title_pl="Płatności kartą nie działają",
        statement=STATEMENT,
        by=manager,
        categories=[category],
    )


@pytest.fixture
def an_hour(db):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_one_client_asking_for_many_addresses_is_paused_with_a_polite_429(
    client, incident, settings, an_hour
):
    settings.SUBSCRIPTION_LIMIT_PER_IP_PER_HOUR = 3
    for number in range(3):
        assert subscribe(client, incident, f"person{number}@example.com").status_code == 200

    refused = subscribe(client, incident, "victim@example.com")

    assert refused.status_code == 429
    assert confirmations() == 3
    assert not Subscription.objects.filter(email="victim@example.com").exists()
    assert "Please try again after" in refused.text
    assert 'value="victim@example.com"' in refused.text  # what was typed is kept
    # Another client is not held up; after the hour the first may ask again.
    assert subscribe(client, incident, "neighbour@example.com", ip="198.51.100.1").status_code == 200
    an_hour.shift(timedelta(hours=1, seconds=1))
    assert subscribe(client, incident, "victim@example.com").status_code == 200
    assert confirmations() == 5


def test_fifty_addresses_from_one_client_get_at_most_the_limit_of_confirmations(client, incident, an_hour):
    statuses = [
        subscribe(client, incident, f"victim{number}@example.com").status_code for number in range(50)
    ]

    assert statuses.count(429) == 50 - statuses.count(200)
    assert confirmations() == statuses.count(200) <= 5


@pytest.mark.parametrize(("language", "words"), [("hu", "próbálja"), ("pl", "spróbuj")])
def test_the_pause_is_explained_in_the_visitor_s_language(
    client, incident, settings, an_hour, language, words
):
    settings.SUBSCRIPTION_LIMIT_PER_IP_PER_HOUR = 1
    subscribe(client, incident, "eve@example.com", language=language)

    refused = subscribe(client, incident, "victim@example.com", language=language)

    assert refused.status_code == 429
    assert words in refused.text.lower()
