"""The agent's queue page: one order, reasons, filters, search, htmx refresh, availability."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from helpdesk.models import Chat, Priority, StaffProfile, Ticket
from helpdesk.queue.line import refresh_sla_bands

BUDAPEST = ZoneInfo("Europe/Budapest")


def budapest(*args) -> datetime:
    return datetime(*args, tzinfo=BUDAPEST)


def references(response) -> list[str]:
    """The tickets listed, top to bottom."""
    return re.findall(r'data-testid="queue-row" data-reference="([^"]+)"', response.text)


def ticked_statuses(response) -> list[str]:
    return re.findall(r'<input [^>]*name="status" value="(\w+)"[^>]*\bchecked', response.text)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def line(make_ticket):
    """Four tickets at Monday 15:00: breached, at risk, high priority, and a plain one."""
    tickets = {}
    with time_machine.travel(budapest(2026, 3, 11, 9), tick=False):
        tickets["breached"] = make_ticket(subject="Router dead", priority=Priority.LOW, email="a@example.hu")
    with time_machine.travel(budapest(2026, 3, 16, 8, 30), tick=False):
        tickets["at_risk"] = make_ticket(subject="Bill wrong", email="b@example.hu")
    with time_machine.travel(budapest(2026, 3, 16, 14), tick=False):
        tickets["high"] = make_ticket(subject="Cannot log in", priority=Priority.HIGH, email="c@example.hu")
    with time_machine.travel(budapest(2026, 3, 16, 14, 30), tick=False):
        tickets["plain"] = make_ticket(
            subject="Address change", name="Piotr Nowak", email="piotr@example.pl", phone="+48 601 234 567"
        )
    with time_machine.travel(budapest(2026, 3, 16, 15), tick=False):
        refresh_sla_bands()
    return tickets


@pytest.fixture
def monday_afternoon():
    with time_machine.travel(budapest(2026, 3, 16, 15), tick=False):
        yield


def test_the_list_is_in_queue_order_and_says_why(agent_client, line, monday_afternoon):
    response = agent_client.get("/agent/")

    assert response.status_code == 200
    assert references(response) == [line[name].reference for name in ["breached", "at_risk", "high", "plain"]]
    page = response.text
    assert "SLA breached 3\xa0days ago" in page  # due Thursday 16:00
    assert "at risk: first answer due 16:30" in page
    assert "priority high" in page
    assert "arrived 14:30" in page
    assert 'class="table-danger"' in page
    assert 'class="table-warning"' in page


def test_place_reasons_come_from_the_row(line, monday_afternoon):
    waiting = line["plain"]
    waiting.wait_on_customer(by=None)
    texts = [reason.text for reason in Ticket.objects.get(pk=waiting.pk).place_reasons()]
    assert texts == ["waiting on the customer since 15:00", "arrived 14:30"]
    low = Ticket.objects.get(pk=line["breached"].pk)
    assert [reason.tone for reason in low.place_reasons()] == ["danger", "secondary", "secondary"]


@pytest.mark.parametrize(
    ("language", "arrived"),
    [("en", "arrived 11/03/2026 09:00"), ("hu", "2026.03.11. 09:00"), ("pl", "11-03-2026 09:00")],
)
def test_an_earlier_day_is_written_in_the_agents_language(line, monday_afternoon, language, arrived):
    breached = Ticket.objects.select_related("queue__calendar").get(pk=line["breached"].pk)
    with translation.override(language):
        assert arrived in breached.place_reasons()[-1].text


def test_queue_counts_are_shown(agent_client, line, monday_afternoon):
    queues = agent_client.get("/agent/").context["queues"]
    assert [(q.open_count, q.in_line_count, q.at_risk_count, q.breached_count) for q in queues] == [
        (4, 4, 1, 1)
    ]


def test_default_shows_the_open_ones_and_status_filter_shows_others(
    agent_client, agent, line, monday_afternoon
):
    line["plain"].resolve(by=agent)
    line["high"].wait_on_customer(by=agent)

    assert line["plain"].reference not in references(agent_client.get("/agent/"))
    assert line["high"].reference in references(agent_client.get("/agent/"))
    resolved = agent_client.get("/agent/", {"status": "resolved"})
    assert references(resolved) == [line["plain"].reference]
    assert ticked_statuses(resolved) == ["resolved"]  # the filter shows what it applies
    assert ticked_statuses(agent_client.get("/agent/")) == []


def test_filters_by_assignment(agent_client, agent, other_agent, line, monday_afternoon):
    line["high"].assign(agent)
    line["at_risk"].assign(other_agent)

    assert references(agent_client.get("/agent/", {"assigned": "me"})) == [line["high"].reference]
    assert references(agent_client.get("/agent/", {"assigned": "none"})) == [
        line["breached"].reference,
        line["plain"].reference,
    ]


def test_filters_by_channel_language_and_category(agent_client, make_ticket, category, monday_afternoon):
    phone = make_ticket(
        channel="phone", subject="Called about a bill", email="p@example.hu", category=category
    )
    english = make_ticket(subject="Hello", language="en", email="e@example.com")

    assert references(agent_client.get("/agent/", {"channel": "phone"})) == [phone.reference]
    assert references(agent_client.get("/agent/", {"language": "en"})) == [english.reference]
    assert references(agent_client.get("/agent/", {"category": category.pk})) == [phone.reference]


def test_filters_by_queue_only_among_the_agents_queues(agent_client, agent, queue, polish_queue, make_ticket):
    queue.members.add(agent)
    polish_queue.members.add(agent)
    make_ticket(email="x@example.hu")
    response = agent_client.get("/agent/", {"queue": polish_queue.pk})
    assert references(response) == []
    assert "General" in response.text


def test_search_finds_by_reference_customer_phone_subject_and_message(agent_client, line, monday_afternoon):
    plain = line["plain"].reference

    assert references(agent_client.get("/agent/", {"q": plain.lower().replace("-", "")})) == [plain]
    assert references(agent_client.get("/agent/", {"q": "nowak"})) == [plain]
    assert references(agent_client.get("/agent/", {"q": "piotr@example"})) == [plain]
    assert references(agent_client.get("/agent/", {"q": "601 234"})) == [plain]
    assert references(agent_client.get("/agent/", {"q": "address"})) == [plain]
    line["high"].record("message", body="The password reset email never arrives")
    assert references(agent_client.get("/agent/", {"q": "password reset"})) == [line["high"].reference]


def test_invalid_filter_keeps_what_was_typed_and_applies_the_rest(agent_client, line, monday_afternoon):
    response = agent_client.get("/agent/", {"q": "router", "queue": "99999", "channel": "pigeon"})

    assert response.status_code == 200
    assert references(response) == [line["breached"].reference]
    assert 'value="router"' in response.text
    assert "Some filters could not be used" in response.text


def test_htmx_refresh_returns_only_the_list_and_keeps_the_filters(agent_client, line, monday_afternoon):
    response = agent_client.get("/agent/", {"q": "router"}, headers={"HX-Request": "true"})

    assert references(response) == [line["breached"].reference]
    assert "<html" not in response.text
    assert 'hx-trigger="every 20s, live"' in response.text
    assert 'hx-get="/agent/?q=router"' in response.text


def test_full_page_polls_the_list(agent_client, line, monday_afternoon):
    page = agent_client.get("/agent/").text
    assert 'id="queue-list"' in page
    assert 'hx-trigger="every 20s, live"' in page
    assert "Take next" in page
    assert 'data-testid="worker-status"' in page


def test_the_list_is_paginated_and_pages_keep_the_filters(agent_client, make_ticket, monday_afternoon):
    for number in range(27):
        make_ticket(email=f"customer{number}@example.hu")
    first = agent_client.get("/agent/", {"q": "charged"})
    assert len(references(first)) == 25
    assert "?q=charged&amp;page=2" in first.text
    assert len(references(agent_client.get("/agent/", {"q": "charged", "page": 2}))) == 2


def test_a_search_reads_its_matches_then_its_page(agent_client, make_ticket, monday_afternoon):
    for number in range(27):
        make_ticket(email=f"customer{number}@example.hu")
    make_ticket(email="other@example.hu", subject="Router offline")

    first = agent_client.get("/agent/", {"q": "charged"})
    assert "27 requests, in queue order" in first.text
    assert "Page 1 of 2" in first.text
    # The list without a search counts apart (from an index alone), then reads its page; a search
    # reads its matches' ids (counted up to a cap), then its page, and is written on the record of
    # who looked (one INSERT).
    unfiltered = count_queries(agent_client, "/agent/")
    assert count_queries(agent_client, "/agent/", data={"q": "charged"}) == unfiltered + 1
    nothing = agent_client.get("/agent/", {"q": "no such words anywhere"})
    assert "No requests match" in nothing.text
    past_the_end = agent_client.get("/agent/", {"q": "charged", "page": 9})
    assert len(references(past_the_end)) == 2  # the last page, as Django's paginator does


@pytest.fixture
def small_cap(monkeypatch):
    """A search counts up to 3 matches, on pages of 2 rows: the cap without a hundred tickets."""
    monkeypatch.setattr("helpdesk.pagination.SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr("helpdesk.views.queue.PAGE_SIZE", 2)


def test_a_search_with_more_matches_than_the_cap_says_more_than(
    agent_client, make_ticket, monday_afternoon, small_cap
):
    # Found by the customer's name alone (not the subject), typed without its accent.
    for number in range(5):
        make_ticket(email=f"customer{number}@example.hu", name=f"Anna Kovács {number}", subject="Invoice")
    other = make_ticket(email="other@example.hu", name="Péter Nagy", subject="Invoice")

    first = agent_client.get("/agent/", {"q": "kovacs"})

    assert "More than 3 requests match, in queue order" in first.text
    assert "Select all matching requests (more than 3), on every page" in first.text
    assert "Page 1" in first.text
    assert "Page 1 of" not in first.text
    assert "?q=kovacs&amp;page=2" in first.text
    pages = [references(agent_client.get("/agent/", {"q": "kovacs", "page": n})) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    # The queue order of every list, the other customer left out.
    assert [reference for page in pages for reference in page] == list(
        Ticket.objects.exclude(pk=other.pk).in_queue_order().values_list("reference", flat=True)
    )
    last = agent_client.get("/agent/", {"q": "kovacs", "page": 3})
    assert "?q=kovacs&amp;page=4" not in last.text
    assert "?q=kovacs&amp;page=2" in last.text  # the previous page
    assert references(agent_client.get("/agent/", {"q": "kovacs", "page": 9})) == pages[0]


def test_a_search_within_the_cap_counts_its_matches(agent_client, make_ticket, monday_afternoon, small_cap):
    for number in range(3):
        make_ticket(email=f"customer{number}@example.hu", name=f"Anna Kovács {number}", subject="Invoice")

    page = agent_client.get("/agent/", {"q": "kovacs"})

    assert "3 requests, in queue order" in page.text
    assert "More than" not in page.text
    assert "Page 1 of 2" in page.text


def test_the_cap_is_said_in_the_agents_language(agent_client, make_ticket, monday_afternoon, small_cap):
    agent_client.cookies["django_language"] = "pl"
    for number in range(5):
        make_ticket(email=f"customer{number}@example.hu", name=f"Anna Kovács {number}", subject="Invoice")

    page = agent_client.get("/agent/", {"q": "kovacs"})

    assert "Ponad 3 zgłoszenia pasują do wyszukiwania" in page.text
    assert "Strona 1<" in page.text


def count_queries(client, path, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, **kwargs).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_tickets(agent_client, agent, make_ticket, category):
    StaffProfile.objects.for_user(agent)
    htmx = {"headers": {"HX-Request": "true"}}

    for number in range(5):
        make_ticket(email=f"first{number}@example.hu", category=category)
    small = (count_queries(agent_client, "/agent/"), count_queries(agent_client, "/agent/", **htmx))
    # Rows of every kind the list draws: assigned, waiting on the customer, a live chat, high
    # priority, and in line long enough to be breached; each reads only the columns it selected.
    tickets = list(Ticket.objects.order_by("pk"))
    tickets[0].assign(agent, by=agent)
    tickets[1].wait_on_customer(by=agent)
    Chat.objects.create(ticket=make_ticket(channel="chat", email="chat@example.hu"))
    make_ticket(email="urgent@example.hu", priority=Priority.HIGH, name="")
    for number in range(55):
        make_ticket(email=f"second{number}@example.hu", category=category if number % 2 else None)
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        refresh_sla_bands()
        agent_client.get("/agent/")  # ten days on, the cached opening hours are read again
        large = (count_queries(agent_client, "/agent/"), count_queries(agent_client, "/agent/", **htmx))
        page = agent_client.get("/agent/").text
        waiting = {"data": {"status": "waiting"}}
        assert count_queries(agent_client, "/agent/", **waiting) == large[0]
        assert "waiting on the customer since" in agent_client.get("/agent/", **waiting).text
    assert "SLA breached" in page
    assert "Customer on the chat now" in page
    assert "priority high" in page
    assert "urgent@example.hu" in page  # no name given: the email stands for the customer

    assert small == large
    # session, the user (with their roles and profile), the agent's queues with their counts,
    # ticket count, one page of tickets, the page's tags, category choices, worker heartbeat, saved
    # views; the htmx list skips the last three
    assert large == (9, 6)


# --- availability --------------------------------------------------------------------------


def test_agent_takes_a_short_break(agent_client, agent, monday_afternoon):
    response = agent_client.post(
        "/agent/availability/", {"availability": "break", "minutes": "10"}, follow=True
    )

    profile = StaffProfile.objects.get(user=agent)
    assert profile.availability == "break"
    assert profile.break_until == budapest(2026, 3, 16, 15, 10)
    assert "Take-next leaves you alone until 15:10" in response.text
    assert "End the break" in response.text


def test_agent_ends_the_break_and_goes_away(agent_client, agent):
    StaffProfile.objects.for_user(agent).take_break(5)
    agent_client.post("/agent/availability/", {"availability": "available"})
    assert StaffProfile.objects.get(user=agent).is_available()
    agent_client.post("/agent/availability/", {"availability": "away"})
    assert StaffProfile.objects.get(user=agent).availability == "away"


def test_a_break_needs_one_of_the_offered_lengths(agent_client, agent):
    response = agent_client.post(
        "/agent/availability/", {"availability": "break", "minutes": "45"}, follow=True
    )
    assert StaffProfile.objects.for_user(agent).availability == "available"
    assert "Choose how long the break is" in response.text or "Choose available" in response.text


def test_availability_is_changed_by_post_only(agent_client):
    assert agent_client.get("/agent/availability/").status_code == 405
    assert agent_client.post("/agent/").status_code == 405


def test_queue_page_needs_an_agent(client, outsider):
    assert client.get("/agent/").status_code == 302
    client.force_login(outsider)
    assert client.get("/agent/").status_code == 403
    assert client.post("/agent/availability/", {"availability": "away"}).status_code == 403
