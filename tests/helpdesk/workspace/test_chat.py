"""Live chat, the agent's side: the panel in the workspace, joining, writing, hold notices."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpdesk.channels import chat as chat_channel
from helpdesk.models import AgentAlert, Chat, Notification, TicketEntry
from helpdesk.queue import line


@pytest.fixture
def chat(queue):
    return chat_channel.start_chat(
        queue=queue,
        name="Katalin Szabó",
        email="katalin@example.hu",
        message="My bill is twice the usual amount.",
        source_ip=None,
    )


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def url(name, chat):
    return reverse(f"helpdesk:ticket-chat-{name}", args=[chat.ticket.reference])


def agent_poll(client, chat, **data):
    return client.post(url("poll", chat), data)


def test_the_workspace_of_a_chat_ticket_shows_the_chat_panel(agent_client, chat):
    page = agent_client.get(chat.ticket.get_absolute_url()).content.decode()

    assert 'data-testid="chat-panel"' in page
    assert url("poll", chat) in page
    assert "Put the customer on hold" in page
    assert "I am checking your bill" in page  # the canned hold reasons


def test_other_tickets_have_no_chat_panel(agent_client, ticket):
    response = agent_client.get(ticket.get_absolute_url())

    assert response.status_code == 200
    assert 'data-testid="chat-panel"' not in response.content.decode()


def test_take_next_then_the_first_poll_joins_the_chat(agent_client, agent, chat):
    assert line.take_next(agent) == chat.ticket

    page = agent_poll(agent_client, chat).content.decode()

    chat.refresh_from_db()
    assert chat.agent == agent
    assert chat.joined_at is not None
    assert "My bill is twice the usual amount." in page
    assert "You are chatting with the customer." in page
    joined = chat.ticket.entries.get(event=TicketEntry.Event.CHAT_JOINED)
    assert joined.is_public
    assert joined.data == {"agent": "Anna"}


def test_a_colleague_sees_a_join_button_and_does_not_join_by_looking(client, other_agent, agent, chat):
    line.take_next(agent)
    client.force_login(other_agent)

    page = agent_poll(client, chat).content.decode()

    chat.refresh_from_db()
    assert chat.agent is None
    assert "Join the chat" in page


def test_joining_assigns_the_ticket(agent_client, agent, chat):
    response = agent_client.post(url("join", chat))

    assert response.status_code == 302
    chat.refresh_from_db()
    chat.ticket.refresh_from_db()
    assert chat.agent == agent
    assert chat.ticket.assignee == agent


def test_the_agent_writes_and_the_line_is_a_public_reply_without_an_email(agent_client, agent, chat):
    response = agent_client.post(url("send", chat), {"chat-body": "Hello Katalin!"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    # The box is cleared; the page asks for the line with the "joined" line before it.
    assert response["HX-Trigger"] == "chat:sent, chat:catch-up"
    reply = chat.ticket.entries.get(kind=TicketEntry.Kind.REPLY)
    assert reply.body == "Hello Katalin!"
    assert reply.is_public
    assert reply.author == agent
    chat.ticket.refresh_from_db()
    assert chat.ticket.first_responded_at is not None
    assert chat.ticket.status == "open"
    assert not Notification.objects.exists()  # the transcript comes when the chat ends


def test_an_empty_line_is_refused(agent_client, chat):
    response = agent_client.post(url("send", chat), {"chat-body": ""}, HTTP_HX_REQUEST="true")

    assert "This field is required." in response.content.decode()
    assert not chat.ticket.entries.filter(kind="reply").exists()


def test_the_agent_sees_the_customer_typing(agent_client, chat):
    chat.customer_polled(typing=True, now=timezone.now())

    assert "Katalin Szabó is typing…" in agent_poll(agent_client, chat).content.decode()


def test_the_agents_typing_heartbeat_is_stored(agent_client, agent, chat):
    chat.join(agent)

    agent_poll(agent_client, chat, typing="1")

    chat.refresh_from_db()
    assert chat.agent_is_typing(timezone.now())


def test_the_agent_panel_shows_notes_only_to_staff_and_never_sends_them(agent_client, agent, chat):
    chat.ticket.add_note(by=agent, body="Check the meter reading")
    response = agent_poll(agent_client, chat)
    # The chat shows the conversation; notes stay in the workspace timeline.
    assert response.status_code == 200
    assert "Check the meter reading" not in response.content.decode()


def test_the_hold_notice_is_posted_with_its_countdown(agent_client, agent, chat):
    response = agent_client.post(
        url("hold", chat),
        {"hold-reason": "bill", "hold-minutes": "5", "hold-text": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    chat.refresh_from_db()
    notice = chat.ticket.entries.filter(kind="reply").last()
    assert notice.body == "I am checking your bill, back in about 5 minutes."
    assert notice.data == {"hold_minutes": 5}
    assert chat.hold_until == notice.created_at + timedelta(minutes=5)
    assert "you promised to be back by 09:05" in agent_poll(agent_client, chat).content.decode()


def test_a_hold_notice_needs_a_known_duration(agent_client, chat):
    response = agent_client.post(
        url("hold", chat), {"hold-reason": "bill", "hold-minutes": "60"}, HTTP_HX_REQUEST="true"
    )

    assert "Select a valid choice." in response.content.decode()
    chat.refresh_from_db()
    assert chat.hold_until is None


def test_when_the_hold_runs_out_the_agent_is_reminded_once(agent_client, agent, chat, time_machine):
    chat.put_on_hold(by=agent, reason="bill", minutes=2)
    time_machine.shift(timedelta(minutes=1))
    assert "hold-over" not in agent_poll(agent_client, chat).content.decode()

    time_machine.shift(timedelta(minutes=1, seconds=1))
    page = agent_poll(agent_client, chat).content.decode()

    assert 'data-testid="hold-over"' in page
    assert 'role="alert"' in page
    assert "The hold time you promised is over: go back to the customer." in page
    reminder = chat.ticket.entries.get(event=TicketEntry.Event.CHAT_HOLD_OVER)
    assert not reminder.is_public  # the customer's chat never shows it
    agent_poll(agent_client, chat)
    assert chat.ticket.entries.filter(event=TicketEntry.Event.CHAT_HOLD_OVER).count() == 1
    customer_page = Client().post(reverse("helpdesk:chat-poll", args=[chat.token])).content.decode()
    assert "go back to the customer" not in customer_page
    assert "will be back with you any moment now" in customer_page


def test_writing_again_ends_the_hold(agent_client, agent, chat, time_machine):
    chat.put_on_hold(by=agent, reason="bill", minutes=2)
    time_machine.shift(timedelta(minutes=3))

    agent_client.post(url("send", chat), {"chat-body": "Thank you for waiting."}, HTTP_HX_REQUEST="true")

    chat.refresh_from_db()
    assert chat.hold_until is None
    response = agent_poll(agent_client, chat)
    assert response.status_code == 200
    assert "hold-over" not in response.content.decode()


def test_the_agent_ends_the_chat_and_the_transcript_is_written(agent_client, agent, chat):
    chat.post_agent_message(by=agent, body="All sorted.")

    response = agent_client.post(url("end", chat))

    assert response.status_code == 302
    chat.refresh_from_db()
    assert chat.end_reason == Chat.EndReason.AGENT
    transcript = Notification.objects.get(kind="chat_transcript")
    assert "All sorted." in transcript.body_text
    polled = agent_poll(agent_client, chat)
    assert polled.status_code == 286
    assert "The chat has ended." in polled.content.decode()


@pytest.mark.parametrize("name", ["poll", "join", "send", "hold", "end"])
def test_chat_actions_need_an_agent(client, outsider, chat, name):
    assert client.post(url(name, chat)).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.post(url(name, chat)).status_code == 403


@pytest.mark.parametrize("name", ["poll", "join", "send", "hold", "end"])
def test_chat_actions_are_posts(agent_client, chat, name):
    assert agent_client.get(url(name, chat)).status_code == 405


def test_an_agent_poll_is_a_fixed_number_of_queries(agent_client, agent, chat, django_assert_num_queries):
    chat.join(agent)
    agent_poll(agent_client, chat)
    # session, the user with their roles, the chat with its ticket, the new entries (the typing
    # heartbeat is in the cache)
    with django_assert_num_queries(4):
        agent_poll(agent_client, chat)
    for number in range(30):
        chat.post_customer_message(f"Line {number}")
        chat.post_agent_message(by=agent, body=f"Answer {number}")
    with django_assert_num_queries(4):
        response = agent_poll(agent_client, chat)
    assert "Answer 29" in response.content.decode()


def test_the_chat_panel_costs_one_query_and_only_on_a_chat(agent_client, chat, ticket):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries(ticket):
        agent_client.get(ticket.get_absolute_url())
        with CaptureQueriesContext(connection) as page:
            agent_client.get(ticket.get_absolute_url())
        # Read now: the next request empties the connection's log the capture points into.
        return [query["sql"] for query in page.captured_queries]

    # The "chat waiting" notification read, so that neither page marks it read (one UPDATE).
    AgentAlert.objects.mark_read()
    plain, with_chat = page_queries(ticket), page_queries(chat.ticket)
    # An ordinary request's page does not look for a chat; a chat's page reads it once.
    assert not [sql for sql in plain if 'FROM "helpdesk_chat"' in sql]
    assert len(with_chat) == len(plain) + 1


def test_the_queue_list_marks_a_live_chat_at_no_extra_query(agent_client, chat, ticket):
    page = agent_client.get(reverse("helpdesk:agent-home")).content.decode()
    assert page.count('data-testid="live-chat"') == 1

    chat.end(reason=Chat.EndReason.CUSTOMER)
    page = agent_client.get(reverse("helpdesk:agent-home")).content.decode()
    assert 'data-testid="live-chat"' not in page
