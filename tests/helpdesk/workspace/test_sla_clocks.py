"""The SLA beside the ticket: the first-answer and resolution due times in business time, the
time left, and the band in the queue page's colours."""

import re
from datetime import timedelta

import pytest

from helpdesk.models import Ticket
from tests.helpdesk.workspace.conftest import MONDAY_MORNING


def url(ticket):
    return f"/agent/tickets/{ticket.reference}/"


def clocks(page: str) -> list[tuple[str, str, str]]:
    """(band number, badge colour, text) of each SLA clock on the page, tags removed."""
    found = re.findall(r'data-testid="sla-clock" data-band="(\d)">(.*?)</div>', page, flags=re.DOTALL)
    result = []
    for band, html in found:
        tone = re.search(r"badge text-bg-(\w+)", html).group(1)
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        result.append((band, tone, text))
    return result


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_a_new_request_shows_both_due_times_in_business_time_on_time(agent_client, ticket):
    # Arrived Monday 09:00 in Budapest; normal priority: 8 business hours to answer, 40 to resolve
    # (open 08:00-17:00 on weekdays): due Monday 17:00 and Friday 13:00.
    page = agent_client.get(url(ticket)).text

    assert clocks(page) == [
        ("0", "success", "First answer On time due 02/03/2026 17:00 · 8 hours of business time left"),
        ("0", "success", "Resolution On time due 06/03/2026 13:00 · 40 hours of business time left"),
    ]


def test_the_first_answer_is_at_risk_in_its_last_quarter_with_the_queue_colour(
    agent_client, ticket, time_machine
):
    time_machine.move_to(MONDAY_MORNING + timedelta(hours=6, minutes=30), tick=False)  # 15:30

    first, resolution = clocks(agent_client.get(url(ticket)).text)

    assert first == (
        "1",
        "warning",
        "First answer At risk due 02/03/2026 17:00 · 1 hour, 30 minutes of business time left",
    )
    assert resolution[:2] == ("0", "success")


def test_a_missed_first_answer_is_breached_by_the_business_time_since(agent_client, ticket, time_machine):
    # Tuesday 09:30: the office closed at 17:00 on Monday and opened at 08:00 on Tuesday.
    time_machine.move_to(MONDAY_MORNING + timedelta(days=1, minutes=30), tick=False)

    first, _resolution = clocks(agent_client.get(url(ticket)).text)

    assert first == (
        "2",
        "danger",
        "First answer Breached due 02/03/2026 17:00 · overdue by 1 hour, 30 minutes of business time",
    )


def test_an_answered_request_says_the_first_answer_came_on_time(agent_client, agent, ticket, time_machine):
    time_machine.move_to(MONDAY_MORNING + timedelta(hours=1), tick=False)
    ticket.reply(by=agent, body="We are looking into it.")

    first, resolution = clocks(agent_client.get(url(ticket)).text)

    assert first == ("0", "success", "First answer On time due 02/03/2026 17:00 · answered on time")
    assert resolution == (
        "0",
        "success",
        "Resolution On time due 06/03/2026 13:00 · 39 hours of business time left",
    )


def test_waiting_on_the_customer_pauses_the_clock(agent_client, agent, ticket, time_machine):
    time_machine.move_to(MONDAY_MORNING + timedelta(hours=1), tick=False)
    ticket.reply(by=agent, body="Which account was charged?")
    ticket.wait_on_customer(by=agent)
    time_machine.move_to(MONDAY_MORNING + timedelta(days=2), tick=False)

    _first, resolution = clocks(agent_client.get(url(ticket)).text)

    assert resolution == (
        "0",
        "success",
        "Resolution On time due 06/03/2026 13:00 · paused while waiting on the customer, 39 hours of business time left",
    )


def test_a_queue_without_targets_says_so(agent_client, ticket):
    ticket.queue.sla_targets.all().delete()
    ticket = Ticket.objects.get(pk=ticket.pk)
    ticket.apply_sla()
    ticket.save()

    page = agent_client.get(url(ticket)).text

    assert clocks(page) == []
    assert "This queue sets no SLA targets for this priority." in page


def test_the_clocks_are_in_the_readers_language(client, agent, ticket, time_machine):
    time_machine.move_to(MONDAY_MORNING + timedelta(hours=6, minutes=30), tick=False)
    client.force_login(agent)
    client.cookies["django_language"] = "hu"

    page = client.get(url(ticket)).text

    assert clocks(page)[0][2].startswith("Első válasz")
    assert "2026.03.02. 17:00" in page


def test_a_target_missed_before_the_pause_stays_breached_while_waiting(
    agent_client, agent, ticket, time_machine
):
    # Answered on Tuesday 09:00 (the answer was due Monday 17:00), then waiting on the customer.
    time_machine.move_to(MONDAY_MORNING + timedelta(days=1), tick=False)
    ticket.reply(by=agent, body="Sorry for the wait: which account was charged?")
    # Paused on Saturday morning: the resolution, due Friday 13:00, was missed by Friday afternoon.
    time_machine.move_to(MONDAY_MORNING + timedelta(days=5), tick=False)
    ticket.refresh_from_db()
    ticket.wait_on_customer(by=agent)

    first, resolution = clocks(agent_client.get(url(ticket)).text)

    assert first == ("2", "danger", "First answer Breached due 02/03/2026 17:00 · answered late")
    assert resolution == (
        "2",
        "danger",
        "Resolution Breached due 06/03/2026 13:00 · overdue by 4 hours of business time",
    )


def ticking(page: str) -> list[dict[str, str]]:
    """The data each running clock gives the page's script to count down."""
    return [
        dict(re.findall(r'data-([\w-]+)="([^"]*)"', attributes))
        for attributes in re.findall(r"<div ([^>]*data-sla-ticking[^>]*)>", page)
    ]


def test_a_running_clock_gives_the_page_what_it_needs_to_count_down_until_closing(agent_client, ticket):
    # Monday 09:00: 8 hours to answer, the office open until 17:00, at risk from 15:00.
    first, resolution = ticking(agent_client.get(url(ticket)).text)

    assert (first["left-seconds"], first["open-seconds"], first["risk-seconds"]) == (
        str(8 * 3600),
        str(8 * 3600),
        str(6 * 3600),
    )
    assert first["left-text"] == "%(left)s of business time left"
    assert first["overdue-text"] == "overdue by %(late)s of business time"
    assert (first["at-risk-label"], first["breached-label"]) == ("At risk", "Breached")
    assert (resolution["left-seconds"], resolution["open-seconds"]) == (str(40 * 3600), str(8 * 3600))
    assert "risk-seconds" not in resolution  # the resolution clock is not the one that runs now


def test_a_clock_stands_still_while_the_office_is_closed(agent_client, ticket, time_machine):
    time_machine.move_to(MONDAY_MORNING + timedelta(hours=10), tick=False)  # 19:00, closed

    page = agent_client.get(url(ticket)).text

    assert ticking(page) == []
    assert "data-sla-ticking" not in page
    assert len(clocks(page)) == 2
