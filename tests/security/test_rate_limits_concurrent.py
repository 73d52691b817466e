"""Rate limits hold when one sender sends many requests at the same moment.

Each request runs in its own thread on its own database connection, through HTTP: with a
limit of ten, exactly ten are accepted and the others answered with 429; counted in the
database, and in Redis when REDIS_URL is set.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client

from helpdesk.models import Chat, Ticket
from tests.helpdesk.test_rate_limits import redis_counts  # noqa: F401 (a fixture)
from tests.security.together import post_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]

IP = "203.0.113.7"
# Monday 2 March 2026, 09:00 in Budapest: the office (and the chat) is open.
MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)


@pytest.fixture(params=["database", "redis"], autouse=True)
def counted_in(request):
    if request.param == "redis":
        request.getfixturevalue("redis_counts")
    return request.param


def post_together(path: str, forms: list[dict]) -> list[int]:
    """Every form is posted at the same moment from one client address; the status codes."""
    clients = [Client(REMOTE_ADDR=IP, HTTP_ACCEPT_LANGUAGE="en") for _form in forms]
    requests = [(client, path, form) for client, form in zip(clients, forms, strict=True)]
    return [response.status_code for response in post_at_once(*requests, follow=False)]


def test_twenty_web_form_posts_at_once_from_one_address_open_exactly_ten_requests(category, settings):
    settings.WEB_FORM_LIMIT_PER_IP_PER_HOUR = 10
    forms = [
        {
            "name": f"Customer {number}",
            "email": f"customer{number}@example.hu",
            "language": "en",
            "subject": "Charged twice",
            "description": "My November bill was taken twice from my account.",
        }
        for number in range(20)
    ]

    statuses = post_together("/tickets/new/", forms)

    assert sorted(statuses) == [302] * 10 + [429] * 10
    assert Ticket.objects.count() == 10


def test_twenty_chats_started_at_once_from_one_address_start_exactly_ten(queue, settings):
    settings.CHAT_LIMIT_PER_IP_PER_HOUR = 10
    forms = [{"name": f"Customer {number}", "email": "", "message": "Hello?"} for number in range(20)]

    statuses = post_together("/chat/", forms)

    assert sorted(statuses) == [302] * 10 + [429] * 10
    assert Chat.objects.count() == 10


def test_thirty_status_lookups_at_once_from_one_address_answer_exactly_ten(make_ticket, settings):
    settings.STATUS_LOOKUP_LIMIT_PER_IP = 10
    ticket = make_ticket(email="katalin@example.hu", language="en")
    forms = [{"reference": ticket.reference, "email": "katalin@example.hu"}] * 30

    statuses = post_together("/status/", forms)

    assert statuses.count(302) == 10
    assert statuses.count(429) == 20
