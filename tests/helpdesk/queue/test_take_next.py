"""Take next: the first ticket in the one queue order, once, to an agent who is available."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from helpdesk.models import Category, Priority, StaffProfile, Ticket
from helpdesk.queue import line
from helpdesk.roles import AGENTS
from tests.factories import UserFactory

BUDAPEST = ZoneInfo("Europe/Budapest")


def budapest(*args) -> datetime:
    return datetime(*args, tzinfo=BUDAPEST)


@pytest.fixture
def polish_ticket(polish_queue, make_ticket):
    """A breached ticket in a queue the agent does not serve."""
    category = Category.objects.create(
        slug="billing-pl", name_en="Bills", name_hu="Számlák", name_pl="Rachunki", queue=polish_queue
    )
    with time_machine.travel(budapest(2026, 3, 10, 9), tick=False):
        return make_ticket(subject="Faktura", language="pl", email="jan@example.pl", category=category)


def test_take_next_follows_the_queue_order_and_skips_other_queues(agent, queue, make_ticket, polish_ticket):
    queue.members.add(agent)
    arrivals = [
        ("plain", (2026, 3, 16, 14, 30), Priority.NORMAL),
        ("high", (2026, 3, 16, 14), Priority.HIGH),
        ("at_risk", (2026, 3, 16, 8, 30), Priority.NORMAL),
        ("breached", (2026, 3, 11, 9), Priority.LOW),
        ("later", (2026, 3, 16, 14, 45), Priority.NORMAL),
    ]
    tickets = {}
    for name, when, priority in arrivals:
        with time_machine.travel(budapest(*when), tick=False):
            tickets[name] = make_ticket(subject=name, priority=priority, email=f"{name}@example.hu")

    with time_machine.travel(budapest(2026, 3, 16, 15), tick=False):
        line.refresh_sla_bands()
        taken = [line.take_next(agent) for _ in range(6)]

    assert [ticket.subject if ticket else None for ticket in taken] == [
        "breached",
        "at_risk",
        "high",
        "plain",
        "later",
        None,
    ]
    polish_ticket.refresh_from_db()
    assert polish_ticket.assignee is None


def test_take_next_button_assigns_and_opens_the_ticket(client, agent, make_ticket):
    ticket = make_ticket()
    client.force_login(agent)

    response = client.post("/agent/take-next/")

    assert response.status_code == 302
    assert response["Location"] == f"/agent/tickets/{ticket.reference}/"
    ticket.refresh_from_db()
    assert ticket.assignee == agent
    assert ticket.entries.filter(event="assigned").count() == 1


def test_an_empty_line_gets_a_kind_message(client, agent, queue):
    client.force_login(agent)
    response = client.post("/agent/take-next/", follow=True)
    assert response.redirect_chain[-1][0] == "/agent/"
    assert "Nobody is waiting in your queues right now. Well done!" in response.text


def test_take_next_respects_a_break(client, agent, make_ticket):
    ticket = make_ticket()
    client.force_login(agent)
    with time_machine.travel(budapest(2026, 3, 16, 10, 5), tick=False):
        StaffProfile.objects.for_user(agent).take_break(10)
        response = client.post("/agent/take-next/", follow=True)

    assert "You are on a break until 10:15. End the break?" in response.text
    assert "End the break" in response.text
    ticket.refresh_from_db()
    assert ticket.assignee is None

    with time_machine.travel(budapest(2026, 3, 16, 10, 16), tick=False):
        assert client.post("/agent/take-next/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == agent


def test_take_next_respects_away(client, agent, make_ticket):
    make_ticket()
    StaffProfile.objects.for_user(agent).set_away()
    client.force_login(agent)
    response = client.post("/agent/take-next/", follow=True)
    assert "You are marked as away" in response.text
    assert Ticket.objects.filter(assignee__isnull=False).count() == 0


def test_take_next_is_post_only_and_for_agents(client, agent, outsider, make_ticket):
    make_ticket()
    client.force_login(agent)
    assert client.get("/agent/take-next/").status_code == 405
    client.force_login(outsider)
    assert client.post("/agent/take-next/").status_code == 403
    assert Ticket.objects.filter(assignee__isnull=False).count() == 0


# --- concurrency ---------------------------------------------------------------------------

AGENT_COUNT = 8


def take_next_together(agents) -> list[int | None]:
    """Every agent presses take-next at the same moment, each on its own database connection."""
    barrier = threading.Barrier(len(agents))
    results: list[int | None] = [None] * len(agents)
    errors = []

    def press(index, agent):
        try:
            barrier.wait(timeout=10)
            ticket = line.take_next(agent)
            results[index] = ticket.pk if ticket else None
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(i, agent)) for i, agent in enumerate(agents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


@pytest.fixture
def eight_agents(roles):
    agents = [UserFactory(username=f"agent{number}", roles=[AGENTS]) for number in range(AGENT_COUNT)]
    for agent in agents:
        StaffProfile.objects.for_user(agent)
    return agents


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_simultaneous_take_next_hands_each_ticket_out_once(eight_agents, make_ticket):
    tickets = [make_ticket(email=f"customer{number}@example.hu") for number in range(10)]

    taken = take_next_together(eight_agents)

    assert None not in taken
    assert len(set(taken)) == AGENT_COUNT
    assignees = dict(Ticket.objects.filter(assignee__isnull=False).values_list("pk", "assignee"))
    assert sorted(assignees) == sorted(taken)
    assert len(set(assignees.values())) == AGENT_COUNT
    # The two left are the last two in the queue order.
    assert set(Ticket.objects.in_line().values_list("pk", flat=True)) == {tickets[8].pk, tickets[9].pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_when_agents_outnumber_tickets_each_ticket_still_goes_to_one_agent(eight_agents, make_ticket):
    for number in range(5):
        make_ticket(email=f"customer{number}@example.hu")

    taken = take_next_together(eight_agents)

    handed_out = [pk for pk in taken if pk is not None]
    assert len(handed_out) == len(set(handed_out)) == 5
    assert Ticket.objects.in_line().count() == 0
    assert Ticket.objects.filter(entries__event="assigned").count() == 5
