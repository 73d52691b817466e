"""The customer beside the ticket: contact details, the usual channel, what other apps know
(opt-outs), and their other requests, open ones first, in a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk import hooks
from helpdesk.models import Ticket
from tests.helpdesk.workspace.conftest import MONDAY_MORNING


def url(ticket):
    return f"/agent/tickets/{ticket.reference}/"


def panel(page: str) -> str:
    return re.search(r'data-testid="customer-panel">(.*?)</section>', page, flags=re.DOTALL).group(1)


def listed_references(page: str) -> list[str]:
    requests = re.search(r'data-testid="customer-requests">(.*?)</ul>', page, flags=re.DOTALL).group(1)
    return re.findall(r'class="font-monospace" href="/agent/tickets/([\w-]+)/"', requests)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_the_panel_shows_the_customers_contact_details_and_usual_channel(
    agent_client, make_ticket, time_machine
):
    make_ticket(channel="phone", phone="+36 30 123 4567", email="katalin@example.hu", name="Szabó Katalin")
    time_machine.move_to(MONDAY_MORNING + timedelta(hours=1), tick=False)
    ticket = make_ticket(channel="email")

    shown = " ".join(re.sub(r"<[^>]+>", " ", panel(agent_client.get(url(ticket)).text)).split())

    assert "Szabó Katalin" in shown
    assert "Email katalin@example.hu" in shown
    assert "Phone +36301234567" in shown
    assert "Language Hungarian" in shown
    assert "Usual channel Email" in shown
    assert f'href="/agent/customers/{ticket.customer_id}/"' in panel(agent_client.get(url(ticket)).text)


def test_other_requests_list_the_open_ones_first_then_the_latest_ten(
    agent_client, agent, make_ticket, time_machine
):
    closed = []
    for day in range(12):
        time_machine.move_to(MONDAY_MORNING - timedelta(days=30 - day), tick=False)
        old = make_ticket(subject=f"Old question {day}")
        old.resolve(by=agent)
        closed.append(old)
    time_machine.move_to(MONDAY_MORNING - timedelta(days=40), tick=False)
    oldest_open = make_ticket(subject="Still open from long ago")
    time_machine.move_to(MONDAY_MORNING, tick=False)
    ticket = make_ticket(subject="Charged twice")
    make_ticket(email="someone.else@example.hu")

    page = agent_client.get(url(ticket)).text

    latest_ten = [old.reference for old in reversed(closed)][:10]
    assert listed_references(page) == [oldest_open.reference, *latest_ten]
    assert ticket.reference not in listed_references(page)
    assert "Still open from long ago" in panel(page)
    assert "Resolved" in panel(page)


def test_a_first_request_says_there_are_no_others(agent_client, ticket):
    assert "No other requests." in panel(agent_client.get(url(ticket)).text)


def test_what_other_apps_know_of_the_customer_is_shown(agent_client, ticket, hooked):
    hooked(
        hooks.CUSTOMER_FACTS,
        lambda customer: [hooks.CustomerFact("Newsletter", f"no, {customer.name}", "warning")],
    )

    shown = panel(agent_client.get(url(ticket)).text)

    assert "Newsletter" in shown
    assert "no, Katalin Szabó" in shown
    assert "text-warning-emphasis" in shown


def queries_for_page(client, ticket) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(ticket)).status_code == 200
    return len(captured)


def test_the_panel_costs_the_same_queries_for_one_and_thirty_other_requests(agent_client, agent, make_ticket):
    few = make_ticket(email="few@example.hu")
    make_ticket(email="few@example.hu")
    for number in range(30):
        other = make_ticket(email="many@example.hu", subject=f"Question {number}")
        if number % 2:
            other.resolve(by=agent)
    many = make_ticket(email="many@example.hu")
    agent_client.get(url(few))
    agent_client.get(url(many))

    assert queries_for_page(agent_client, few) == queries_for_page(agent_client, many)
    assert Ticket.objects.filter(customer=many.customer).count() == 31


def test_a_customer_with_many_open_requests_shows_the_first_ones_and_the_way_to_all(
    agent_client, make_ticket
):
    for number in range(30):
        make_ticket(subject=f"Question {number}")
    ticket = make_ticket()

    page = agent_client.get(url(ticket)).text

    assert len(listed_references(page)) == 25
    assert "Only the first ones are listed here." in panel(page)
    assert "All their requests and the team's note" in panel(page)
