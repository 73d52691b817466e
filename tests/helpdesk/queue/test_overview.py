"""The managers' overview of the queues: every figure from the database, in fixed queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.models import Category, Priority, StaffProfile
from helpdesk.queue import line
from helpdesk.queue.figures import queue_overview
from helpdesk.roles import AGENTS
from tests.factories import UserFactory

BUDAPEST = ZoneInfo("Europe/Budapest")
WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 3, 17, 15, tzinfo=BUDAPEST)  # a Tuesday afternoon

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's"
)


@pytest.fixture
def polish_category(polish_queue):
    return Category.objects.create(
        slug="billing-pl", name_en="Bills", name_hu="Számlák", name_pl="Rachunki", queue=polish_queue
    )


def at(moment, make_ticket, **fields):
    with time_machine.travel(moment, tick=False):
        return make_ticket(**fields)


def answer(ticket, moment):
    with time_machine.travel(moment, tick=False):
        ticket.mark_first_response(moment)


@pytest.fixture
def service(queue, polish_queue, polish_category, make_ticket, agent, other_agent):
    """Budapest: breached, at risk, two answered today, one answered last week; Warsaw: one new."""
    queue.members.add(agent)
    at(
        datetime(2026, 3, 12, 9, tzinfo=BUDAPEST),
        make_ticket,
        subject="breached",
        priority=Priority.LOW,
        email="a@x.hu",
    )
    at(datetime(2026, 3, 17, 8, 30, tzinfo=BUDAPEST), make_ticket, subject="at risk", email="b@x.hu")
    first = at(datetime(2026, 3, 17, 9, tzinfo=BUDAPEST), make_ticket, subject="quick", email="c@x.hu")
    answer(first, datetime(2026, 3, 17, 9, 20, tzinfo=BUDAPEST))
    second = at(datetime(2026, 3, 17, 10, tzinfo=BUDAPEST), make_ticket, subject="slow", email="d@x.hu")
    answer(second, datetime(2026, 3, 17, 11, tzinfo=BUDAPEST))
    third = at(datetime(2026, 3, 16, 9, tzinfo=BUDAPEST), make_ticket, subject="yesterday", email="e@x.hu")
    answer(third, datetime(2026, 3, 16, 9, 30, tzinfo=BUDAPEST))
    old = at(datetime(2026, 3, 2, 9, tzinfo=BUDAPEST), make_ticket, subject="old", email="f@x.hu")
    answer(old, datetime(2026, 3, 2, 15, tzinfo=BUDAPEST))  # outside the 7-day window
    at(
        datetime(2026, 3, 17, 14, tzinfo=WARSAW),
        make_ticket,
        subject="faktura",
        language="pl",
        email="g@x.pl",
        category=polish_category,
    )
    StaffProfile.objects.for_user(other_agent).take_break(5)  # other_agent is in no queue
    with time_machine.travel(NOW, tick=False):
        line.refresh_sla_bands()


def figures(queues) -> dict:
    return {
        queue.slug: (
            queue.open_count,
            queue.at_risk_count,
            queue.breached_count,
            queue.agents_available,
            queue.answered_today,
        )
        for queue in queues
    }


def test_each_queue_has_its_figures(service):
    with time_machine.travel(NOW, tick=False):
        queues = queue_overview()
    # Open: all six. Breached: the one never answered and the old one, answered but not
    # resolved in time. Available: Anna (a member) and Marek (in no queue, so in every queue);
    # Bence is on a break.
    assert figures(queues) == {"general": (6, 1, 2, 2, 2), "billing-pl": (1, 0, 0, 1, 0)}
    general = next(queue for queue in queues if queue.slug == "general")
    assert general.oldest_waiting_since == datetime(2026, 3, 12, 9, tzinfo=BUDAPEST)


@postgres_only
def test_median_first_response_of_the_last_seven_days(service):
    with time_machine.travel(NOW, tick=False):
        general, polish = sorted(queue_overview(), key=lambda queue: queue.slug != "general")
    assert general.median_first_response == timedelta(minutes=30)  # 20 min, 30 min, 60 min
    assert polish.median_first_response is None


def test_answered_today_follows_the_queues_own_calendar_day(
    polish_queue, polish_category, make_ticket, roles
):
    # 23:30 in Warsaw on Monday is still Monday there; 00:30 Tuesday is "today" on Tuesday.
    late = at(
        datetime(2026, 3, 16, 22, tzinfo=WARSAW),
        make_ticket,
        language="pl",
        email="h@x.pl",
        category=polish_category,
    )
    answer(late, datetime(2026, 3, 16, 23, 30, tzinfo=WARSAW))
    early = at(
        datetime(2026, 3, 17, 0, 10, tzinfo=WARSAW),
        make_ticket,
        language="pl",
        email="i@x.pl",
        category=polish_category,
    )
    answer(early, datetime(2026, 3, 17, 0, 30, tzinfo=WARSAW))
    with time_machine.travel(datetime(2026, 3, 17, 9, tzinfo=WARSAW), tick=False):
        assert {queue.slug: queue.answered_today for queue in queue_overview()} == {
            "general": 0,
            "billing-pl": 1,
        }


def test_away_and_breaking_agents_are_not_available(queue, agent, other_agent, manager):
    queue.members.add(agent)
    StaffProfile.objects.for_user(agent).set_away()
    StaffProfile.objects.for_user(manager).set_away()
    StaffProfile.objects.for_user(other_agent).take_break(15)
    assert [queue.agents_available for queue in queue_overview()] == [0]


def test_the_page_shows_the_figures(client, manager, service):
    client.force_login(manager)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/manage/queues/")
    assert response.status_code == 200
    page = response.text
    assert 'data-queue="general"' in page
    assert "Median first response" in page
    if connection.vendor == "postgresql":
        assert "30 minutes" in page
    assert 'href="/manage/queues/"' in page  # in the Management menu


def test_the_median_is_shown_as_unavailable_without_postgresql(client, manager, queue, monkeypatch):
    monkeypatch.setattr("helpdesk.queue.figures.median_available", lambda: False)
    client.force_login(manager)
    assert "unavailable on this database" in client.get("/manage/queues/").text


def test_only_managers_see_the_overview(client, agent):
    assert client.get("/manage/queues/").status_code == 302
    client.force_login(agent)
    assert client.get("/manage/queues/").status_code == 403
    assert "/manage/queues/" not in client.get("/agent/").text


def test_the_overview_is_read_only(client, manager):
    client.force_login(manager)
    assert client.post("/manage/queues/").status_code == 405


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/manage/queues/").status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_tickets_or_agents(client, manager, queue, polish_queue, make_ticket, roles):
    client.force_login(manager)
    for number in range(5):
        make_ticket(email=f"first{number}@example.hu")
    small = count_queries(client)
    for number in range(50):
        ticket = make_ticket(email=f"second{number}@example.hu")
        if number % 3 == 0:
            ticket.mark_first_response(ticket.created_at + timedelta(minutes=number))
    for number in range(6):
        queue.members.add(UserFactory(username=f"agent{number}", roles=[AGENTS]))
    large = count_queries(client)

    assert small == large
    # session, the user with their roles, calendar time zones, the queues with their figures,
    # agents in no queue
    assert large == 5
