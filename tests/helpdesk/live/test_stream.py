"""The live pages' push channel over HTTP: who may follow which events, what a stream carries,
and that an open page costs no row write.

A stream is read with the test client; LIVE_STREAM_MAX_SECONDS keeps each one short, so a test
that waits for an event that never comes fails instead of hanging.
"""

import json
import re
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from helpdesk import agent_alerts
from helpdesk.channels import chat as chat_channel
from helpdesk.models import Chat, TicketEntry
from tests.helpdesk.live.streams import Stream
from tests.security.test_staff_admin import user_change_form

STREAM_SECONDS = 3


@pytest.fixture(autouse=True)
def short_streams(settings):
    settings.LIVE_PUSH = True
    settings.LIVE_STREAM_MAX_SECONDS = STREAM_SECONDS
    settings.LIVE_KEEPALIVE_SECONDS = 0.2


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
def agent_client(agent):
    client = Client()
    client.force_login(agent)
    return client


def customer_stream(client, chat):
    return client.get(reverse("helpdesk:live-chat", args=[chat.token]))


def staff_stream(client, *channels):
    return client.get(reverse("helpdesk:live-staff"), {"channel": channels})


def test_a_stream_starts_by_saying_how_soon_to_reconnect_and_that_it_is_ready(client, chat):
    stream = Stream(customer_stream(client, chat))

    first = stream.next_message()

    assert first == {"retry": "3000", "event": "ready", "data": '{"missed": true, "last": 0}'}
    assert "no-cache" in stream.response["Cache-Control"]
    assert stream.response["X-Accel-Buffering"] == "no"
    stream.close()


def test_the_agents_line_reaches_the_customers_open_stream_drawn_for_the_customers_page(
    client, chat, agent, django_capture_on_commit_callbacks
):
    stream = Stream(customer_stream(client, chat))
    stream.next_message()  # ready
    first_message = chat.ticket.entries.get(kind="message")

    with django_capture_on_commit_callbacks(execute=True):
        reply = chat.post_agent_message(by=agent, body="Hello Katalin, I am Anna.")

    # The agent joins (the request changing tells its queue, where the customer waited), then writes.
    events = []
    while len([e for e in events if e["channel"] == chat.live_channel]) < 2 and (
        event := stream.next_event()
    ):
        events.append(event)
    assert {(event["channel"], event["name"]) for event in events} == {
        (f"queue:{chat.ticket.queue_id}", "changed"),
        (f"chat:{chat.pk}", "changed"),
        (f"chat:{chat.pk}", "line"),
    }
    line = next(event["data"] for event in events if event["name"] == "line")
    # The page shows it without asking when it shows the customer's first message last (the
    # "joined" line comes between: its page asks then).
    assert line["side"] == "agent"
    assert line["entry"] == reply.pk
    assert "Hello Katalin, I am Anna." in line["customer"]["html"]
    assert line["customer"]["previous"] > first_message.pk
    assert "agent" not in line  # drawn for the other side only
    stream.close()


def test_a_line_follows_on_from_the_last_public_line_for_the_customers_page(
    client, chat, agent, django_capture_on_commit_callbacks
):
    chat.join(agent)
    first = chat.post_agent_message(by=agent, body="Let me check.")
    chat.ticket.record_event(TicketEntry.Event.CHAT_HOLD_OVER, public=False)  # the agent's side only
    stream = Stream(customer_stream(client, chat))
    stream.next_message()  # ready

    with django_capture_on_commit_callbacks(execute=True):
        chat.post_agent_message(by=agent, body="Found it.")

    line = stream.next_event()["data"]
    assert line["customer"]["previous"] == first.pk
    stream.close()


def test_the_customers_line_and_typing_reach_the_agents_open_stream(
    agent_client, chat, django_capture_on_commit_callbacks
):
    stream = Stream(staff_stream(agent_client, f"chat:{chat.pk}"))
    stream.next_message()  # ready

    with django_capture_on_commit_callbacks(execute=True):
        chat.customer_polled(typing=True, now=timezone.now())
    typing = stream.next_event()
    with django_capture_on_commit_callbacks(execute=True):
        chat.post_customer_message("My account number is 1234.")
    names = [stream.next_event()["name"]]

    # "Typing" names who types; the line ends it on the other side's page by itself.
    assert typing["name"] == "typing"
    assert typing["data"] == {"side": "customer", "typing": True, "name": "Katalin Szabó", "stale_after": 6}
    assert names == ["line"]
    stream.close()


def test_the_typing_pages_own_polls_tell_the_other_side_once_not_on_every_poll(
    client, agent_client, chat, django_capture_on_commit_callbacks
):
    """With push the typing page looks again on each event of its chat, its own "typing" too, and
    each of its polls carries the heartbeat: told each time, the page polled in a loop while its
    person typed (make loadtest measured some 30 requests per chat line)."""
    stream = Stream(staff_stream(agent_client, f"chat:{chat.pk}"))
    stream.next_message()  # ready
    poll = reverse("helpdesk:chat-poll", args=[chat.token])

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # the heartbeat, then the looks its own events make
            assert client.post(poll, {"after": "0", "typing": "1"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        chat.post_customer_message("My account number is 1234.")
    names = [stream.next_event()["name"] for _ in range(2)]

    assert names == ["typing", "line"]  # typing, then the line that ends it
    stream.close()


def test_events_carry_increasing_ids(client, chat, agent, django_capture_on_commit_callbacks):
    stream = Stream(customer_stream(client, chat))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        chat.join(agent)
        chat.put_on_hold(by=agent, reason="bill", minutes=2)
    ids = [int(stream.next_message()["id"]) for _ in range(3)]

    assert ids == sorted(set(ids))
    stream.close()


def test_a_stream_hears_nothing_of_another_chat(
    client, chat, queue, agent, django_capture_on_commit_callbacks, settings
):
    settings.LIVE_STREAM_MAX_SECONDS = 1
    other = chat_channel.start_chat(queue=queue, name="Piotr", email="", message="Hello", source_ip=None)
    chat.join(agent)  # no longer waiting in the queue the other chat changes
    stream = Stream(customer_stream(client, chat))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        other.post_agent_message(by=agent, body="Hello Piotr")

    assert stream.next_message() == {}  # the stream ran its course with no event
    stream.close()


def test_a_change_rolled_back_tells_nobody(client, chat, agent, settings):
    settings.LIVE_STREAM_MAX_SECONDS = 1
    stream = Stream(customer_stream(client, chat))
    stream.next_message()

    chat.post_agent_message(by=agent, body="Never committed")  # the test's transaction is rolled back

    assert stream.next_message() == {}
    stream.close()


def test_a_stream_ends_by_itself_and_the_page_reconnects(client, chat, settings):
    settings.LIVE_STREAM_MAX_SECONDS = 0.5
    started = time.monotonic()

    body = b"".join(customer_stream(client, chat).streaming_content).decode()

    assert time.monotonic() - started < 5
    assert body.startswith("retry: 3000\n")


def test_an_open_stream_keeps_the_customer_here_with_one_row_write_a_minute(client, chat, settings):
    settings.LIVE_STREAM_MAX_SECONDS = 1
    Chat.objects.filter(pk=chat.pk).update(customer_seen_at=timezone.now() - timedelta(minutes=9))

    b"".join(customer_stream(client, chat).streaming_content)  # five "still here" in a second

    chat.refresh_from_db()
    assert timezone.now() - chat.customer_seen_at < timedelta(seconds=10)


def test_polls_within_a_minute_write_the_chats_row_once(client, chat, django_assert_num_queries):
    url = reverse("helpdesk:chat-poll", args=[chat.token])
    client.post(url)  # the first: "still here" written
    for _ in range(5):
        with django_assert_num_queries(3):  # the chat, the new lines, the place in line: no UPDATE
            client.post(url, {"typing": "1"})
    assert Chat.objects.get(pk=chat.pk).customer_is_typing(timezone.now())


# --- who may follow what ---------------------------------------------------------------------


def test_an_unknown_chat_token_follows_nothing(client, chat):
    assert client.get(reverse("helpdesk:live-chat", args=["not-the-token"])).status_code == 404


@pytest.mark.parametrize("channel", ["chat:{chat}", "agent:{agent}", "queue:1", "lobby:main"])
def test_an_anonymous_visitor_follows_no_staff_channel(client, chat, agent, channel):
    channel = channel.format(chat=chat.pk, agent=agent.pk)
    assert staff_stream(client, channel).status_code == 403


def test_a_customer_with_a_chat_token_follows_no_staff_channel(client, chat, queue):
    other = chat_channel.start_chat(queue=queue, name="Piotr", email="", message="Hello", source_ip=None)
    customer_stream(client, chat).close()
    assert staff_stream(client, f"chat:{other.pk}").status_code == 403


def test_a_signed_in_outsider_follows_no_staff_channel(outsider, chat):
    client = Client()
    client.force_login(outsider)
    assert staff_stream(client, f"chat:{chat.pk}").status_code == 403


def test_an_agent_follows_only_their_own_agent_channel(agent_client, agent, other_agent):
    assert staff_stream(agent_client, f"agent:{other_agent.pk}").status_code == 403
    assert staff_stream(agent_client, "status:1").status_code == 403  # a customer's, by token only
    assert staff_stream(agent_client).status_code == 403
    own = staff_stream(agent_client, f"agent:{agent.pk}")
    assert own.status_code == 200
    own.close()


def test_with_push_off_or_the_chat_over_a_stream_says_there_is_nothing_to_follow(
    client, agent_client, chat, settings
):
    settings.LIVE_PUSH = False
    assert customer_stream(client, chat).status_code == 204
    assert staff_stream(agent_client, f"chat:{chat.pk}").status_code == 204
    settings.LIVE_PUSH = True
    chat.end(reason=Chat.EndReason.CUSTOMER)
    assert customer_stream(client, chat).status_code == 204


def test_the_pages_open_their_stream_only_with_push_on(client, agent_client, agent, chat, settings):
    room = reverse("helpdesk:chat-room", args=[chat.token])
    assert (
        f'data-live-stream="{reverse("helpdesk:live-chat", args=[chat.token])}"'
        in client.get(room).content.decode()
    )
    workspace = agent_client.get(chat.ticket.get_absolute_url()).content.decode()
    assert 'data-live-stream="/events/staff/"' in workspace
    assert f'data-live-channel="{chat.live_channel}"' in workspace  # the chat panel
    assert f'data-live-channel="agent:{agent.pk}"' in workspace  # the notifications' count
    settings.LIVE_PUSH = False
    assert "data-live-stream" not in client.get(room).content.decode()
    assert "data-live-stream" not in agent_client.get(chat.ticket.get_absolute_url()).content.decode()


def test_only_the_customers_page_follows_the_chat_queue(client, agent_client, chat):
    """The customer waiting for an agent sees their place in line move with the queue; the
    agent's panel shows no place in line, and every line written in any chat changes the chat
    queue: following it made every open agent panel ask again every 3 s while anyone chatted
    (make loadtest, docs/performance.md)."""
    queue_channel = f"queue:{chat.ticket.queue_id}"
    room = client.get(reverse("helpdesk:chat-room", args=[chat.token])).content.decode()
    assert f'data-live-channel="{chat.live_channel} {queue_channel}"' in room
    workspace = agent_client.get(chat.ticket.get_absolute_url()).content.decode()
    assert f'data-live-channel="{chat.live_channel}"' in workspace
    assert queue_channel not in workspace


# --- an open stream and its person's access ---------------------------------------------------
# Rights are checked when a stream opens; a stream lasts minutes, and the chat's events carry the
# customer's words. Whatever takes an agent's rights away ends their open streams at once: their
# pages reconnect, and the new request is checked as any other.


def remaining_events(stream) -> list[dict]:
    """Every event the stream still brings, to its end."""
    events = []
    while event := stream.next_event():
        events.append(event)
    return events


def customer_writes(client, chat, body, capture):
    with capture(execute=True):
        response = client.post(reverse("helpdesk:chat-send", args=[chat.token]), {"body": body})
    assert response.status_code in (200, 302)


@pytest.fixture
def manager_client(manager):
    client = Client()
    client.force_login(manager)
    return client


def test_a_deactivated_agents_open_chat_stream_ends_before_the_customers_next_line(
    client, agent_client, manager_client, agent, chat, django_capture_on_commit_callbacks
):
    chat.join(agent)
    stream = Stream(staff_stream(agent_client, chat.live_channel, f"agent:{agent.pk}"))
    stream.next_message()  # ready

    with django_capture_on_commit_callbacks(execute=True):
        deactivated = manager_client.post(f"/manage/staff/{agent.pk}/deactivate/")
    assert deactivated.status_code == 302
    customer_writes(client, chat, "My card number ends in 4242.", django_capture_on_commit_callbacks)

    assert remaining_events(stream) == []
    assert staff_stream(agent_client, chat.live_channel).status_code == 403  # reconnecting


def test_an_agent_who_signs_out_has_their_other_pages_streams_ended(
    client, agent_client, agent, chat, django_capture_on_commit_callbacks
):
    chat.join(agent)
    other_page = Client()
    other_page.cookies = agent_client.cookies  # the same browser: another tab of the same session
    stream = Stream(staff_stream(other_page, chat.live_channel))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        assert agent_client.post(reverse("logout")).status_code == 302
    customer_writes(client, chat, "Are you still there?", django_capture_on_commit_callbacks)

    assert remaining_events(stream) == []


def test_a_manager_made_an_agent_has_their_streams_ended_to_reopen_with_their_new_rights(
    second_manager, manager, make_ticket, django_capture_on_commit_callbacks, django_user_model
):
    demoted = Client()
    demoted.force_login(manager)
    stream = Stream(staff_stream(demoted, f"agent:{manager.pk}"))
    stream.next_message()
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("root", "root@helpdesk.example", "x"))

    with django_capture_on_commit_callbacks(execute=True):
        changed = admin.post(f"/manage/staff/{manager.pk}/role/", {"role": "agent"})
    assert changed.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        agent_alerts.assigned(make_ticket(subject="Charged twice"), to=manager, by=second_manager)

    assert remaining_events(stream) == []


def test_a_new_password_ends_the_streams_opened_before_it(
    agent_client, agent, other_agent, make_ticket, django_capture_on_commit_callbacks
):
    """Another session's pages (a shared computer left signed in) stop as its session does."""
    stream = Stream(staff_stream(agent_client, f"agent:{agent.pk}"))
    stream.next_message()
    link = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(agent.pk)), default_token_generator.make_token(agent)],
    )
    browser = Client()
    form = browser.get(link, follow=True)
    new_password = {"new_password1": "a long new secret 42", "new_password2": "a long new secret 42"}

    with django_capture_on_commit_callbacks(execute=True):
        saved = browser.post(form.redirect_chain[-1][0], new_password)
    assert saved.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        agent_alerts.assigned(make_ticket(subject="Charged twice"), to=agent, by=other_agent)

    assert remaining_events(stream) == []


def test_an_account_changed_in_the_admin_has_its_streams_ended(
    agent_client, agent, other_agent, make_ticket, django_capture_on_commit_callbacks, django_user_model
):
    stream = Stream(staff_stream(agent_client, f"agent:{agent.pk}"))
    stream.next_message()
    administrator = Client()
    administrator.force_login(
        django_user_model.objects.create_superuser("root", "root@helpdesk.example", "x")
    )
    unticked = user_change_form(agent)
    del unticked["is_active"]

    with django_capture_on_commit_callbacks(execute=True):
        saved = administrator.post(f"/admin/auth/user/{agent.pk}/change/", unticked)
    assert saved.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        agent_alerts.assigned(make_ticket(subject="Charged twice"), to=agent, by=other_agent)

    assert remaining_events(stream) == []


def test_another_agents_deactivation_leaves_an_agents_stream_open(
    client, agent_client, manager_client, agent, other_agent, chat, django_capture_on_commit_callbacks
):
    chat.join(agent)
    stream = Stream(staff_stream(agent_client, chat.live_channel))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        deactivated = manager_client.post(f"/manage/staff/{other_agent.pk}/deactivate/")
    assert deactivated.status_code == 302
    customer_writes(client, chat, "Hello again.", django_capture_on_commit_callbacks)

    event = stream.next_event()
    assert (event["channel"], event["name"]) == (chat.live_channel, "line")
    stream.close()


def test_no_page_follows_the_channel_that_ends_a_persons_streams(agent_client, agent):
    assert staff_stream(agent_client, f"access:{agent.pk}").status_code == 403


# --- the agent's pages -----------------------------------------------------------------------


def test_a_notification_reaches_its_agents_stream(
    agent_client, agent, other_agent, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(subject="Charged twice")
    stream = Stream(staff_stream(agent_client, f"agent:{agent.pk}"))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        ticket.assign(agent, by=other_agent)
        agent_alerts.assigned(ticket, to=agent, by=other_agent)

    event = stream.next_event()
    assert (event["channel"], event["name"]) == (f"agent:{agent.pk}", "alert")
    stream.close()


def test_a_new_request_reaches_its_queues_stream(
    agent_client, queue, polish_queue, make_ticket, django_capture_on_commit_callbacks
):
    stream = Stream(staff_stream(agent_client, f"queue:{queue.pk}", f"queue:{polish_queue.pk}"))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(subject="Router blinking red")

    event = stream.next_event()
    assert (event["channel"], event["name"]) == (f"queue:{queue.pk}", "changed")
    stream.close()


# --- the customer's status page (its link is the key) ----------------------------------------


def test_a_new_request_ahead_or_behind_reaches_an_open_status_page(
    client, make_ticket, django_capture_on_commit_callbacks
):
    ticket = make_ticket(subject="Charged twice")
    page = client.get(reverse("helpdesk:status", args=[ticket.status_token])).content.decode()
    assert f'data-live-stream="{reverse("helpdesk:live-status", args=[ticket.status_token])}"' in page
    stream = Stream(client.get(reverse("helpdesk:live-status", args=[ticket.status_token])))
    stream.next_message()
    assert stream.response["Referrer-Policy"] == "no-referrer"

    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(subject="Router blinking red")

    event = stream.next_event()
    assert (event["channel"], event["name"]) == (f"queue:{ticket.queue_id}", "changed")
    stream.close()


def test_a_status_stream_needs_the_requests_link_and_an_open_request(client, make_ticket, agent):
    ticket = make_ticket(subject="Charged twice")
    assert client.get(reverse("helpdesk:live-status", args=["not-the-link"])).status_code == 404
    ticket.resolve(by=agent)
    ticket.close(by=agent)
    assert client.get(reverse("helpdesk:live-status", args=[ticket.status_token])).status_code == 204


def test_a_wsgi_server_without_streams_tells_the_page_to_poll(client, chat, settings):
    """Production's sync workers: an open stream would hold one for minutes."""
    settings.LIVE_WSGI_STREAMS = False
    assert customer_stream(client, chat).status_code == 204


def test_a_bulk_change_tells_its_progress_page_of_each_batch_and_its_end(
    agent_client, agent, make_ticket, django_capture_on_commit_callbacks
):
    from helpdesk import bulk
    from helpdesk.models import BulkChange

    tickets = [make_ticket(subject=f"Request {number}") for number in range(3)]
    change = BulkChange.objects.create(
        kind="status",
        value="waiting",
        message="",
        requested_by=agent,
        ticket_ids=[t.pk for t in tickets],
        total=3,
    )
    stream = Stream(staff_stream(agent_client, change.live_channel))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        bulk.run(change.pk)

    events = []
    while (event := stream.next_event()) and event["name"] != "done":
        events.append(event)
    assert event["channel"] == change.live_channel
    assert {e["name"] for e in events if e["channel"] == change.live_channel} == {"progress"}
    stream.close()


def test_while_waiting_for_an_agent_the_customers_chat_hears_its_queue(
    client, chat, agent, make_ticket, django_capture_on_commit_callbacks
):
    stream = Stream(customer_stream(client, chat))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(subject="Another chat ahead", channel="chat")

    event = stream.next_event()
    assert event["channel"] == f"queue:{chat.ticket.queue_id}"  # its place in line may have moved
    stream.close()


def test_once_an_agent_has_joined_the_customers_chat_no_longer_hears_its_queue(
    client, chat, agent, make_ticket, django_capture_on_commit_callbacks, settings
):
    settings.LIVE_STREAM_MAX_SECONDS = 1
    chat.join(agent)
    stream = Stream(customer_stream(client, chat))
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(subject="Another chat", channel="chat")

    assert stream.next_message() == {}
    stream.close()


# --- an agent follows what they may see ------------------------------------------------------


@pytest.fixture
def team_queue(budapest_calendar, manager, other_agent):
    """Another team's queue: Bence is its only member, so Anna (in no queue) serves every queue
    until she joins one of her own."""
    from helpdesk.models import Queue

    team = Queue.objects.create(name="Business", slug="business", calendar=budapest_calendar, manager=manager)
    team.members.add(other_agent)
    return team


@pytest.fixture
def anna_in_general(agent, queue):
    queue.members.add(agent)
    return agent


def test_an_agent_follows_the_queues_they_serve_and_not_another_teams(
    agent_client, anna_in_general, queue, team_queue
):
    # (A stream is not closed here: closing one ends the test's database connection.)
    assert staff_stream(agent_client, f"queue:{queue.pk}").status_code == 200
    assert staff_stream(agent_client, f"queue:{team_queue.pk}").status_code == 403
    # One channel refused refuses the stream: a page names only what it shows.
    assert staff_stream(agent_client, f"queue:{queue.pk}", f"queue:{team_queue.pk}").status_code == 403
    assert staff_stream(agent_client, "queue:999999").status_code == 403  # none such: told nothing more
    assert staff_stream(agent_client, "queue:general").status_code == 403


def test_a_manager_follows_the_queues_they_manage(manager, team_queue):
    client = Client()
    client.force_login(manager)
    team_queue.members.add(manager)  # a member of this one; still the manager of every queue
    assert staff_stream(client, f"queue:{team_queue.pk}").status_code == 200


def test_an_agent_follows_the_chats_of_their_queues_and_their_own_but_not_another_teams(
    agent_client, anna_in_general, queue, team_queue, other_agent
):
    mine = chat_channel.start_chat(queue=queue, name="Katalin", email="", message="Hello", source_ip=None)
    theirs = chat_channel.start_chat(queue=team_queue, name="Piotr", email="", message="Hi", source_ip=None)

    assert staff_stream(agent_client, f"chat:{mine.pk}").status_code == 200
    assert staff_stream(agent_client, f"chat:{theirs.pk}").status_code == 403
    assert staff_stream(agent_client, "chat:999999").status_code == 403

    # Handed to her (a colleague's chat she was asked to take over), it is hers to follow.
    theirs.ticket.assign(anna_in_general, by=other_agent)
    assert staff_stream(agent_client, f"chat:{theirs.pk}").status_code == 200


def test_the_workspace_names_a_chat_it_may_not_follow_for_polling_only(
    agent_client, anna_in_general, team_queue
):
    """Any agent may open another team's chat request; its panel then polls, and the page's
    stream names only what the agent may follow (or it would be refused whole)."""
    theirs = chat_channel.start_chat(queue=team_queue, name="Piotr", email="", message="Hi", source_ip=None)

    page = agent_client.get(theirs.ticket.get_absolute_url()).content.decode()

    assert 'data-testid="chat-panel"' in page
    assert f"chat:{theirs.pk}" not in page
    assert f"queue:{team_queue.pk}" not in page


def test_a_customer_follows_only_their_own_chat_and_status_by_their_link(client, chat, make_ticket):
    """The customer's streams name no channel: the link decides. Another's link is another's key;
    a made-up one is nobody's."""
    ticket = make_ticket(subject="Charged twice")
    assert client.get(reverse("helpdesk:live-chat", args=[ticket.status_token])).status_code == 404
    assert client.get(reverse("helpdesk:live-status", args=[chat.token])).status_code == 404
    # Naming another channel in the address changes nothing: the link decides what is followed.
    assert (
        client.get(reverse("helpdesk:live-chat", args=[chat.token]), {"channel": "agent:1"}).status_code
        == 200
    )


# --- a bulk change tells each queue's pages once per batch -----------------------------------


def test_a_bulk_change_of_many_requests_tells_their_queues_once_a_batch(
    agent_client, agent, queue, polish_queue, make_ticket, django_capture_on_commit_callbacks
):
    from helpdesk import bulk
    from helpdesk.models import BulkChange, Ticket

    tickets = [make_ticket(subject=f"Request {number}") for number in range(30)]
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[::2]]).update(queue=polish_queue)
    change = BulkChange.objects.create(
        kind="status",
        value="waiting",
        message="",
        requested_by=agent,
        ticket_ids=[t.pk for t in tickets],
        total=30,
    )
    stream = Stream(
        staff_stream(agent_client, f"queue:{queue.pk}", f"queue:{polish_queue.pk}", change.live_channel)
    )
    stream.next_message()

    with django_capture_on_commit_callbacks(execute=True):
        bulk.run(change.pk)

    events = []
    while (event := stream.next_event()) and event["name"] != "done":
        events.append(event)
    stream.close()
    batches = -(-30 // bulk.BATCH)
    told = Counter(event["channel"] for event in events)
    assert told[change.live_channel] == batches
    # Each queue's pages look once a batch, not once for each of its 15 requests.
    assert told[f"queue:{queue.pk}"] == told[f"queue:{polish_queue.pk}"] == batches


def typing_key_of(page) -> str:
    return re.search(r'data-typing-key="([^"]+)"', page.content.decode()).group(1)


def test_a_typing_heartbeat_by_the_pages_key_tells_the_other_side_reading_no_row(
    client, agent_client, chat, agent, django_capture_on_commit_callbacks, django_assert_num_queries
):
    chat.join(agent)
    key = typing_key_of(client.get(reverse("helpdesk:chat-room", args=[chat.token])))
    stream = Stream(staff_stream(agent_client, f"chat:{chat.pk}"))
    stream.next_message()  # ready

    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(0):
        answer = client.post(reverse("helpdesk:chat-typing"), {"key": key})

    assert answer.status_code == 204
    event = stream.next_event()
    assert (event["name"], event["data"]["side"], event["data"]["name"]) == (
        "typing",
        "customer",
        "Katalin Szabó",
    )
    assert chat.customer_is_typing(timezone.now())  # a polling page reads it here
    stream.close()


def test_the_agents_page_types_as_the_agent(agent_client, chat, agent, django_capture_on_commit_callbacks):
    chat.join(agent)
    key = typing_key_of(agent_client.get(chat.ticket.get_absolute_url()))

    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(reverse("helpdesk:chat-typing"), {"key": key})

    assert chat.agent_is_typing(timezone.now())
    assert not chat.customer_is_typing(timezone.now())


@pytest.mark.parametrize("key", ["", "12:agent:Anna", "W1sxLCJhZ2VudCIsIkFubmEiXQ:forged:signature"])
def test_a_typing_heartbeat_without_a_key_the_site_signed_is_refused(client, key):
    assert client.post(reverse("helpdesk:chat-typing"), {"key": key}).status_code == 400


def test_a_reconnecting_page_is_told_whether_its_channels_had_an_event_since_the_last_it_saw(
    client, chat, agent, queue, django_capture_on_commit_callbacks, settings
):
    if connection.vendor == "postgresql" and not settings.REDIS_URL:
        pytest.skip("event ids count across processes only with Redis: without, any newer event is news")
    chat.join(agent)
    other = chat_channel.start_chat(queue=queue, name="Piotr", email="", message="Hello", source_ip=None)
    stream = Stream(customer_stream(client, chat))
    stream.next_message()  # ready: the process listens from now
    with django_capture_on_commit_callbacks(execute=True):
        chat.post_agent_message(by=agent, body="Let me look.")
    seen = int(stream.next_message()["id"])
    with django_capture_on_commit_callbacks(execute=True):
        other.post_agent_message(by=agent, body="Hello Piotr")  # another chat's: not this page's news
    time.sleep(0.5)  # the other chat's event reaches this process's listener

    def ready_after(last):
        url = reverse("helpdesk:live-chat", args=[chat.token])
        again = Stream(client.get(url, {"last": last}))
        return json.loads(again.next_message()["data"])["missed"]

    assert ready_after(seen) is False
    assert ready_after(seen - 1) is True
    assert ready_after("") is True  # a page that cannot say asks
    stream.close()
