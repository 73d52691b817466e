"""The customer's page, for staff: every request of theirs, open ones first, and the team's note
about them, with who wrote it and when."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.models import Customer

MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _monday(time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)


def url(customer):
    return f"/agent/customers/{customer.pk}/"


def listed_references(page: str) -> list[str]:
    table = re.search(r'data-testid="customer-requests">(.*?)</table>', page, flags=re.DOTALL).group(1)
    return re.findall(r'href="/agent/tickets/([\w-]+)/"', table)


def test_the_page_lists_every_request_open_ones_first(client, agent, make_ticket, time_machine):
    closed = []
    for day in range(12):
        time_machine.move_to(MONDAY_MORNING - timedelta(days=20 - day), tick=False)
        old = make_ticket(subject=f"Old question {day}")
        old.resolve(by=agent)
        closed.append(old)
    time_machine.move_to(MONDAY_MORNING, tick=False)
    current = make_ticket(channel="email")
    client.force_login(agent)

    page = client.get(url(current.customer)).text

    assert listed_references(page) == [current.reference, *[old.reference for old in reversed(closed)]]
    assert "katalin@example.hu" in page
    assert "Usual channel" in page


def test_an_agent_writes_the_note_and_the_page_says_who_and_when(client, agent, make_ticket):
    customer = make_ticket().customer
    client.force_login(agent)

    response = client.post(url(customer), {"note": "Prefers a call after 16:00.", "seen_at": ""}, follow=True)

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.note == "Prefers a call after 16:00."
    assert customer.note_updated_by == agent
    assert customer.note_updated_at == MONDAY_MORNING
    assert "Note saved." in response.text
    assert "Written by Anna, 02/03/2026 09:00" in response.text


def test_a_colleagues_newer_note_is_not_overwritten_and_what_was_typed_is_kept(
    client, agent, other_agent, make_ticket, time_machine
):
    customer = make_ticket().customer
    client.force_login(agent)
    page = client.get(url(customer)).text
    seen_at = re.search(r'name="seen_at"(?: value="([^"]*)")?', page).group(1) or ""
    # A real clock has microseconds: the hidden time must keep them to match.
    time_machine.move_to(MONDAY_MORNING + timedelta(minutes=5, microseconds=123456), tick=False)
    customer.write_note("Angry about the second bill.", by=other_agent, seen_at=None)

    response = client.post(url(customer), {"note": "Prefers email.", "seen_at": seen_at})

    assert response.status_code == 409
    assert "A colleague changed the note while you were writing." in response.text
    assert "Angry about the second bill." in response.text  # theirs, to read
    assert "Prefers email.</textarea>" in response.text  # mine, kept
    assert Customer.objects.get(pk=customer.pk).note == "Angry about the second bill."

    # Sent again after reading theirs, it is saved.
    seen_at = re.search(r'name="seen_at" value="([^"]*)"', response.text).group(1)
    client.post(url(customer), {"note": "Prefers email.", "seen_at": seen_at})
    assert Customer.objects.get(pk=customer.pk).note == "Prefers email."


def test_a_bad_note_time_is_refused_without_an_error_page(client, agent, make_ticket):
    customer = make_ticket().customer
    client.force_login(agent)

    response = client.post(url(customer), {"note": "Prefers email.", "seen_at": "yesterday"})

    assert response.status_code == 400
    assert "Prefers email.</textarea>" in response.text


def test_an_account_without_a_staff_role_is_refused(client, outsider, make_ticket):
    customer = make_ticket().customer
    client.force_login(outsider)

    assert client.get(url(customer)).status_code == 403
    assert client.post(url(customer), {"note": "x", "seen_at": ""}).status_code == 403
    assert Customer.objects.get(pk=customer.pk).note == ""


def test_an_unknown_customer_is_not_found(client, agent):
    client.force_login(agent)
    assert client.get("/agent/customers/999999/").status_code == 404


def test_the_page_costs_the_same_queries_for_two_and_sixty_requests_fifty_a_page(client, agent, make_ticket):
    few = make_ticket(email="few@example.hu")
    make_ticket(email="few@example.hu")
    for number in range(60):
        make_ticket(email="many@example.hu", subject=f"Question {number}")
    many = Customer.objects.get(email="many@example.hu")
    client.force_login(agent)
    client.get(url(few.customer))

    counts = []
    for customer in (few.customer, many):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url(customer)).text
        counts.append(len(captured))

    assert counts[0] == counts[1]
    assert len(listed_references(page)) == 50
    assert "Page 1 of 2" in page
    assert len(listed_references(client.get(url(many) + "?page=2").text)) == 10
    assert client.get(url(many) + "?page=abc").status_code == 200
