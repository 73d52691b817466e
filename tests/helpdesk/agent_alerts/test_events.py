"""Each event that needs an agent writes them a notification, where the event happens."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from helpdesk import tasks
from helpdesk.channels import chat as chat_channel
from helpdesk.mail import inbound
from helpdesk.models import AgentAlert, Queue
from helpdesk.queue.line import take_next
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = AgentAlert.Kind
BUDAPEST = ZoneInfo("Europe/Budapest")


def alerts_of(user, kind=None):
    rows = AgentAlert.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


def workspace(ticket, action=""):
    return f"/agent/tickets/{ticket.reference}/{action + '/' if action else ''}"


# --- assigned to you -------------------------------------------------------------------------


def test_a_colleague_assigning_a_ticket_notifies_the_new_assignee(client, agent, other_agent, ticket):
    client.force_login(agent)

    client.post(workspace(ticket, "assign"), {"assignee": other_agent.pk})

    alert = alerts_of(other_agent).get()
    assert (alert.kind, alert.ticket, alert.actor, alert.read_at) == (Kind.ASSIGNED, ticket, agent, None)
    assert not alerts_of(agent).exists()


def test_taking_a_ticket_yourself_notifies_nobody(agent, ticket):
    assert take_next(agent) == ticket

    assert not AgentAlert.objects.exists()


# --- a customer replied ----------------------------------------------------------------------


def test_a_customer_reply_on_the_status_page_notifies_the_assignee(client, agent, ticket):
    ticket.assign(agent, by=agent)

    Client().post(f"/status/{ticket.status_token}/reply/", {"body": "Any news?"})

    alert = alerts_of(agent).get()
    assert (alert.kind, alert.ticket) == (Kind.CUSTOMER_REPLIED, ticket)


def test_a_customer_reply_by_email_notifies_the_assignee(agent, ticket):
    ticket.assign(agent, by=agent)
    raw = (
        "From: Katalin <katalin@example.hu>\r\nTo: help@helpdesk.example\r\n"
        f"Subject: Re: [#{ticket.reference}] Charged twice\r\nMessage-ID: <answer.1@example.hu>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nStill charged twice, please help.\r\n"
    ).encode()

    inbound.ingest_message(raw, source="test")

    assert alerts_of(agent, Kind.CUSTOMER_REPLIED).get().ticket == ticket


def test_more_replies_while_the_first_is_unread_give_one_notification(agent, ticket):
    ticket.assign(agent, by=agent)
    ticket.receive_customer_message(body="Any news?", channel="web")
    ticket.receive_customer_message(body="Hello?", channel="web")
    assert alerts_of(agent, Kind.CUSTOMER_REPLIED).count() == 1

    AgentAlert.objects.all().mark_read()
    ticket.receive_customer_message(body="Still waiting.", channel="web")

    assert alerts_of(agent, Kind.CUSTOMER_REPLIED).count() == 2


def test_a_reply_on_an_unassigned_ticket_notifies_nobody(ticket):
    ticket.receive_customer_message(body="Any news?", channel="web")

    assert not AgentAlert.objects.exists()


# --- mentioned in an internal note -----------------------------------------------------------


def test_a_mention_in_an_internal_note_notifies_that_colleague(client, agent, other_agent, ticket):
    client.force_login(agent)

    client.post(workspace(ticket, "note"), {"body": "@Bence could you check the meter reading? cc @anna"})

    alert = alerts_of(other_agent).get()
    assert (alert.kind, alert.ticket, alert.actor) == (Kind.MENTIONED, ticket, agent)
    assert not alerts_of(agent).exists()  # naming yourself tells you nothing


def test_an_email_address_or_someone_without_a_role_is_no_mention(agent, other_agent, outsider, ticket):
    ticket.add_note(by=agent, body="Customer wrote from bence@example.hu; ask @visitor, @nobody")

    assert not AgentAlert.objects.exists()


# --- at risk of breaching --------------------------------------------------------------------


def test_the_sla_scan_tells_the_assignee_once_that_their_ticket_is_at_risk(agent, make_ticket):
    # Monday 16 March 2026, 09:00: due by 17:00, at risk from 15:00.
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=BUDAPEST), tick=False):
        ticket = make_ticket(assignee=agent, by=agent)
    with time_machine.travel(datetime(2026, 3, 16, 14, 59, tzinfo=BUDAPEST), tick=False):
        tasks.check_sla()
    assert not AgentAlert.objects.exists()

    for minute in (0, 1, 2):
        with time_machine.travel(datetime(2026, 3, 16, 15, minute, tzinfo=BUDAPEST), tick=False):
            tasks.check_sla()

    alert = alerts_of(agent).get()
    assert (alert.kind, alert.ticket, alert.data["target"]) == (Kind.AT_RISK, ticket, "first_response")
    assert alert.text == "Your request is at risk of missing its first-answer time."


def test_an_at_risk_resolution_after_the_first_answer_is_a_second_notification(agent, make_ticket):
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=BUDAPEST), tick=False):
        ticket = make_ticket(assignee=agent, by=agent)
    with time_machine.travel(datetime(2026, 3, 16, 15, tzinfo=BUDAPEST), tick=False):
        tasks.check_sla()
        ticket.reply(by=agent, body="We are checking it.")
    ticket.refresh_from_db()

    with time_machine.travel(ticket.sla_at_risk_at, tick=False):
        tasks.check_sla()
        tasks.check_sla()

    targets = sorted(alerts_of(agent, Kind.AT_RISK).values_list("data__target", flat=True))
    assert targets == ["first_response", "resolution"]


def test_an_unassigned_ticket_at_risk_notifies_the_agents_of_its_queue_once(
    roles, agent, other_agent, manager, queue, make_ticket
):
    shop = Queue.objects.create(name="Shop", slug="shop", calendar=queue.calendar, manager=manager)
    shop.members.add(other_agent)  # Bence works the shop only: not told of this queue's risks
    with time_machine.travel(datetime(2026, 3, 16, 9, tzinfo=BUDAPEST), tick=False):
        ticket = make_ticket()
    for minute in (0, 1):
        with time_machine.travel(datetime(2026, 3, 16, 15, minute, tzinfo=BUDAPEST), tick=False):
            tasks.check_sla()

    told = AgentAlert.objects.filter(kind=Kind.AT_RISK, ticket=ticket)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["anna", "marek"]
    assert told.first().text == "A request nobody has taken is at risk of missing its first-answer time."

    # Taken now by one of those told: the assignee is not told the same thing again.
    ticket.reassign(agent, by=agent)
    with time_machine.travel(datetime(2026, 3, 16, 15, 2, tzinfo=BUDAPEST), tick=False):
        tasks.check_sla()
    assert told.count() == 2


# --- a live chat waiting ---------------------------------------------------------------------


def test_a_new_chat_notifies_the_agents_of_its_queue_and_those_in_no_queue(
    roles, agent, other_agent, manager, queue, outsider
):
    shop = Queue.objects.create(name="Shop", slug="shop", calendar=queue.calendar, manager=manager)
    shop.members.add(other_agent)  # Bence works the shop only
    queue.members.add(manager)

    chat = chat_channel.start_chat(
        queue=queue, name="Katalin", email="", message="My bill is doubled.", source_ip="192.0.2.1"
    )

    told = set(
        AgentAlert.objects.filter(kind=Kind.CHAT_WAITING).values_list("recipient__username", flat=True)
    )
    assert told == {"anna", "marek"}
    assert AgentAlert.objects.filter(ticket=chat.ticket).count() == 2


def test_when_an_agent_joins_the_chat_the_others_notification_is_read(agent, manager, queue):
    chat = chat_channel.start_chat(
        queue=queue, name="Katalin", email="", message="My bill is doubled.", source_ip="192.0.2.1"
    )

    chat.join(agent)

    assert not AgentAlert.objects.unread().filter(kind=Kind.CHAT_WAITING).exists()
    assert not alerts_of(agent, Kind.ASSIGNED).exists()


def test_an_inactive_agent_is_not_told_of_a_chat(roles, queue):
    UserFactory(username="left", roles=["Agents"], is_active=False)

    chat_channel.start_chat(queue=queue, name="Katalin", email="", message="Hi", source_ip="192.0.2.1")

    assert not AgentAlert.objects.filter(recipient__username="left").exists()
