"""Live chat, the customer's side: starting a chat, opening hours, talking, leaving."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpdesk import intake
from helpdesk.channels import chat as chat_channel
from helpdesk.models import Chat, Notification, Queue, StatusLink, Ticket, TicketEntry
from helpdesk.models.queue_place import SlaBand
from helpdesk.references import hash_token
from helpdesk.tasks import check_sla, end_silent_chats
from tests.factories import queue_with_default_sla

# Monday 2 March 2026, 09:00 in Budapest: the office (and the chat) is open.
MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# Saturday 7 March 2026, 11:00 in Budapest: closed until Monday 08:00.
SATURDAY = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def open_office(time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)


@pytest.fixture
def chat(queue, open_office):
    return chat_channel.start_chat(
        queue=queue,
        name="Katalin Szabó",
        email="katalin@example.hu",
        message="My bill is twice the usual amount.",
        source_ip="192.0.2.1",
    )


def start(client, **data):
    fields = {"name": "Katalin Szabó", "email": "", "message": "My bill is twice the usual amount.", **data}
    return client.post(reverse("helpdesk:chat-start"), fields)


def poll(client, chat, **data):
    return client.post(reverse("helpdesk:chat-poll", args=[chat.token]), data)


# --- starting a chat -------------------------------------------------------------------------


def test_the_start_page_asks_for_name_optional_email_and_the_first_message(client, queue, open_office):
    response = client.get(reverse("helpdesk:chat-start"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your name" in page
    assert "Email address (optional)" in page
    assert "How can we help?" in page
    assert "The chat is open today until 17:00" in page
    assert response["Referrer-Policy"] == "same-origin"


def test_starting_a_chat_puts_a_chat_ticket_in_the_queue(client, queue, open_office):
    response = start(client, email="katalin@example.hu")

    chat = Chat.objects.get()
    assert response.status_code == 302
    token = response["Location"].removeprefix("/chat/").removesuffix("/")
    assert response["Location"] == reverse("helpdesk:chat-room", args=[token])
    ticket = chat.ticket
    assert ticket.channel == "chat"
    assert ticket.queue == queue
    assert ticket.status == "new"
    assert ticket.is_in_line
    assert ticket.subject == "My bill is twice the usual amount."
    assert ticket.customer.email == "katalin@example.hu"
    message = ticket.entries.get(kind=TicketEntry.Kind.MESSAGE)
    assert message.body == "My bill is twice the usual amount."
    assert message.is_public
    # The customer is on the page: no acknowledgement email, the transcript comes at the end.
    assert not Notification.objects.exists()
    assert len(token) >= 40
    # Only the token's hash is stored, and it is not a status link's.
    assert chat.token_hash == hash_token(token)
    assert not StatusLink.objects.filter(token_hash=chat.token_hash).exists()


def test_a_chat_goes_to_the_chat_queue_when_one_is_marked(client, queue, polish_queue, open_office):
    polish_queue.serves_chat = True
    polish_queue.save()

    start(client)

    assert Chat.objects.get().ticket.queue == polish_queue


def test_a_rejected_start_keeps_what_was_typed(client, queue, open_office):
    response = start(client, name="", email="not an address")

    assert response.status_code == 200
    assert not Chat.objects.exists()
    page = response.content.decode()
    assert "My bill is twice the usual amount." in page
    assert "not an address" in page


def test_the_start_page_refuses_get_only_methods(client, queue, open_office):
    assert client.put(reverse("helpdesk:chat-start")).status_code == 405


def test_starting_chats_is_limited_per_client_address(client, queue, open_office, settings):
    settings.CHAT_LIMIT_PER_IP_PER_HOUR = 2
    start(client)
    start(client)

    response = start(client, message="A third one")

    assert response.status_code == 429
    assert Chat.objects.count() == 2
    assert "A third one" in response.content.decode()


def test_a_chat_from_the_status_page_is_linked_to_that_request(client, make_ticket, open_office):
    earlier = make_ticket()
    response = client.get(reverse("helpdesk:chat-start"), {"about": earlier.status_token})
    assert "Katalin Szabó" in response.content.decode()  # their name is filled in

    start(client, about=earlier.status_token, email="katalin@example.hu")

    chat = Chat.objects.get()
    assert list(chat.ticket.related.all()) == [earlier]
    assert chat.ticket.customer == earlier.customer


# --- opening hours -------------------------------------------------------------------------


def test_outside_opening_hours_the_page_says_so_with_the_next_opening(client, queue, time_machine):
    time_machine.move_to(SATURDAY, tick=False)

    response = client.get(reverse("helpdesk:chat-start"))

    page = response.content.decode()
    assert "Our live chat is closed right now." in page
    assert "It opens again on Monday, 9 Mar 2026 at 08:00." in page
    assert reverse("helpdesk:ticket-new") in page
    assert 'name="message"' not in page


def test_a_chat_started_after_closing_time_offers_the_web_form_with_what_was_typed(
    client, queue, time_machine
):
    time_machine.move_to(SATURDAY, tick=False)

    response = start(client, name="Piotr Nowak", email="piotr@example.pl", message="Internet is down")

    assert not Chat.objects.exists()
    page = response.content.decode()
    assert "What you typed here is already filled in on the form." in page
    assert (
        "/tickets/new/?name=Piotr+Nowak&amp;email=piotr%40example.pl&amp;description=Internet+is+down" in page
    )
    form_page = client.get(
        reverse("helpdesk:ticket-new"),
        {"name": "Piotr Nowak", "email": "piotr@example.pl", "description": "Internet is down"},
    ).content.decode()
    assert 'value="Piotr Nowak"' in form_page
    assert ">\nInternet is down</textarea>" in form_page


def test_the_chat_queue_calendar_decides_the_opening_hours(client, queue, polish_queue, time_machine):
    # Saturday 11:00 in Warsaw: the Polish queue's calendar is open 09:00-13:00 on Saturdays.
    polish_queue.serves_chat = True
    polish_queue.save()
    time_machine.move_to(SATURDAY, tick=False)

    response = client.get(reverse("helpdesk:chat-start"))

    assert "The chat is open today until 13:00" in response.content.decode()


def test_with_no_queue_at_all_the_chat_is_simply_closed(client, db):
    assert Queue.objects.count() == 0

    response = client.get(reverse("helpdesk:chat-start"))

    assert "Our live chat is closed right now." in response.content.decode()


# --- the conversation ------------------------------------------------------------------------


def test_the_chat_leads_to_its_request_s_status_page(client, chat):
    room = client.get(reverse("helpdesk:chat-room", args=[chat.token])).content.decode()
    assert f'action="/chat/{chat.token}/request/"' in room

    # Only hashes of status links are stored: the way there is a link drawn now, by POST.
    response = client.post(f"/chat/{chat.token}/request/")

    assert response.status_code == 302
    assert chat.ticket.reference in client.get(response["Location"]).content.decode()
    assert client.get(f"/chat/{chat.token}/request/").status_code == 405
    assert client.post("/chat/not-the-token/request/").status_code == 404


def test_the_conversation_page_needs_the_token(client, chat):
    assert client.get(reverse("helpdesk:chat-room", args=[chat.token])).status_code == 200
    assert client.get(reverse("helpdesk:chat-room", args=["not-the-token"])).status_code == 404
    assert client.post(reverse("helpdesk:chat-poll", args=["nope"])).status_code == 404
    # The status token opens the status page, not the chat.
    assert client.get(reverse("helpdesk:chat-room", args=[chat.ticket.status_token])).status_code == 404


def test_the_first_poll_shows_the_message_and_the_place_in_line(client, chat):
    response = poll(client, chat)

    page = response.content.decode()
    assert "My bill is twice the usual amount." in page
    assert "Your place in line: 1." in page
    first = chat.ticket.entries.get(kind="message")
    assert f'id="chat-cursor" name="after" value="{first.pk}"' in page


def test_a_poll_sends_only_what_is_new_and_only_changed_state(client, chat, agent):
    first = poll(client, chat).content.decode()
    status_key = first.split('name="status_key" value="')[1].split('"')[0]
    cursor = chat.ticket.entries.get(kind="message").pk

    unchanged = poll(client, chat, after=cursor, status_key=status_key, typing_key="False").content.decode()

    assert "My bill" not in unchanged
    assert "chat-status" not in unchanged

    chat.post_agent_message(by=agent, body="Hello Katalin, let me look.")
    news = poll(client, chat, after=cursor, status_key=status_key, typing_key="False").content.decode()

    assert "Hello Katalin, let me look." in news
    assert "My bill" not in news
    assert "Anna has joined the chat." in news
    assert "Anna joined the chat" in news  # the line in the conversation


def test_the_customer_sends_a_message_onto_the_ticket_timeline(client, chat):
    shown_last = chat.ticket.entries.get(kind="message").pk  # the page shows the first message
    response = client.post(
        reverse("helpdesk:chat-send", args=[chat.token]),
        {"body": "Account 1234", "after": shown_last},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    entry = chat.ticket.entries.filter(kind="message").last()
    assert entry.body == "Account 1234"
    assert entry.is_public
    assert entry.channel == "chat"
    # The answer shows the line after the others, and the page asks nothing more.
    assert response["HX-Trigger"] == "chat:sent"
    answer = response.content.decode()
    assert "Account 1234" in answer
    assert f'id="chat-cursor" name="after" value="{entry.pk}"' in answer


def test_a_page_missing_a_line_before_its_own_asks_for_what_is_new(client, chat, agent):
    shown_last = chat.ticket.entries.get(kind="message").pk
    chat.post_agent_message(by=agent, body="Hello, Anna here.")  # not on the customer's page yet

    response = client.post(
        reverse("helpdesk:chat-send", args=[chat.token]),
        {"body": "Account 1234", "after": shown_last},
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Trigger"] == "chat:sent, chat:catch-up"  # its poll brings both lines
    assert "Account 1234" not in response.content.decode()


def test_a_line_is_a_fixed_number_of_queries_whatever_the_conversation_length(
    client, chat, agent, settings, django_assert_num_queries
):
    """Each line of a busy chat service costs: the chat with its ticket and the agent's profile,
    the ticket's status locked and read, the line written, the lines before it for the agent's
    page (the event carries the line, drawn in the agent's language), and the transaction's
    savepoints (two here, inside the test's transaction; BEGIN, a savepoint and COMMIT on a site)."""
    settings.LIVE_PUSH = True
    chat.post_agent_message(by=agent, body="Hello, Anna here.")

    def send(text, shown_last):
        url = reverse("helpdesk:chat-send", args=[chat.token])
        return client.post(url, {"body": text, "after": shown_last}, HTTP_HX_REQUEST="true")

    send("First", chat.ticket.entries.last().pk)  # "still here" recorded for this minute
    shown_last = chat.ticket.entries.last().pk
    with django_assert_num_queries(8):
        assert send("Account 1234", shown_last)["HX-Trigger"] == "chat:sent"
    for number in range(30):
        chat.post_customer_message(f"Earlier {number}")
        chat.post_agent_message(by=agent, body=f"Answer {number}")
    shown_last = chat.ticket.entries.last().pk
    with django_assert_num_queries(8):
        assert send("Account 5678", shown_last)["HX-Trigger"] == "chat:sent"


def test_an_empty_message_is_refused_with_the_reason(client, chat):
    response = client.post(
        reverse("helpdesk:chat-send", args=[chat.token]), {"body": "  "}, HTTP_HX_REQUEST="true"
    )

    assert "This field is required." in response.content.decode()
    assert chat.ticket.entries.filter(kind="message").count() == 1


def test_without_javascript_sending_returns_to_the_conversation(client, chat):
    response = client.post(reverse("helpdesk:chat-send", args=[chat.token]), {"body": "Hello?"})

    assert response.status_code == 302
    assert response["Location"] == reverse("helpdesk:chat-room", args=[chat.token])


def test_without_javascript_an_empty_message_says_why_on_the_conversation(client, chat):
    response = client.post(reverse("helpdesk:chat-send", args=[chat.token]), {"body": "  "}, follow=True)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert chat.ticket.entries.filter(kind="message").count() == 1


def test_posts_need_the_csrf_token(chat):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("helpdesk:chat-send", args=[chat.token]), {"body": "x"}).status_code == 403
    assert strict.post(reverse("helpdesk:chat-poll", args=[chat.token])).status_code == 403
    assert strict.post(reverse("helpdesk:chat-end", args=[chat.token])).status_code == 403


def test_the_customer_sees_the_agent_typing_while_the_heartbeat_is_fresh(client, chat, agent, time_machine):
    chat.join(agent)
    chat.agent_polled(typing=True, now=timezone.now())

    assert "Anna is typing…" in poll(client, chat).content.decode()

    time_machine.shift(timedelta(seconds=6))
    assert "is typing" not in poll(client, chat, typing_key="True").content.decode()


def test_a_customer_poll_records_their_typing(client, chat):
    poll(client, chat, typing="1")

    chat.refresh_from_db()
    assert chat.customer_is_typing(timezone.now())


def test_internal_notes_never_reach_the_customers_chat(client, chat, agent):
    chat.ticket.add_note(by=agent, body="Customer sounds upset, check the meter reading")
    chat.post_agent_message(by=agent, body="I am here to help.")

    page = poll(client, chat).content.decode()

    assert "I am here to help." in page
    assert "meter reading" not in page


def test_the_hold_notice_shows_a_countdown_to_the_customer(client, chat, agent):
    chat.put_on_hold(by=agent, reason="bill", minutes=5)

    page = poll(client, chat).content.decode()

    assert "I am checking your bill, back in about 5 minutes." in page
    assert 'data-testid="hold-countdown"' in page
    assert 'role="timer"' in page
    assert "will be back by 09:05" in page


def test_the_agent_can_say_it_in_their_own_words(client, chat, agent):
    chat.put_on_hold(by=agent, reason="bill", minutes=10, text="I am calling the meter reader.")

    assert chat.ticket.entries.filter(kind="reply").last().body == (
        "I am calling the meter reader, back in about 10 minutes."
    )


def test_a_poll_is_a_fixed_number_of_queries_whatever_the_conversation_length(
    client, chat, agent, django_assert_num_queries
):
    chat.post_agent_message(by=agent, body="Hello")
    poll(client, chat)  # session and CSRF cookie set up; "still here" recorded for this minute
    # the chat with its ticket, the new entries
    with django_assert_num_queries(2):
        poll(client, chat)
    for number in range(30):
        chat.post_customer_message(f"Line {number}")
        chat.post_agent_message(by=agent, body=f"Answer {number}")
    with django_assert_num_queries(2):
        response = poll(client, chat)
    assert "Answer 29" in response.content.decode()


def test_while_waiting_in_line_a_poll_also_counts_the_place_and_checks_the_hours(
    client, chat, make_ticket, django_assert_num_queries
):
    poll(client, chat)
    # + the place in line (one count); the chat queue's opening hours come from the cache
    with django_assert_num_queries(3):
        poll(client, chat)
    for _number in range(5):
        make_ticket(channel="chat")
    with django_assert_num_queries(3):
        poll(client, chat)


def test_a_customer_still_waiting_when_the_chat_closes_is_told_what_happens(client, chat, time_machine):
    assert "chat-closed-while-waiting" not in poll(client, chat).content.decode()

    time_machine.move_to(datetime(2026, 3, 2, 16, 1, tzinfo=UTC), tick=False)  # 17:01 in Budapest
    page = poll(client, chat).content.decode()

    assert "Our chat has now closed, and we are sorry that no agent could join you in time." in page
    assert f"it is request {chat.ticket.reference}" in page
    assert "(Tuesday 08:00)" in page
    assert "You will get our answer by email too." in page


# --- the end of a chat -------------------------------------------------------------------


def test_the_customer_ends_the_chat_and_gets_the_transcript_in_their_language(client, chat, agent):
    chat.ticket.customer.language = "hu"
    chat.ticket.customer.save()
    chat.post_agent_message(by=agent, body="Megnéztem, a számla hibás volt.")

    response = client.post(reverse("helpdesk:chat-end", args=[chat.token]))

    assert response.status_code == 302
    chat.refresh_from_db()
    assert not chat.is_live
    assert chat.end_reason == "customer"
    ticket = Ticket.objects.get(pk=chat.ticket_id)
    assert ticket.is_open  # the conversation stays on the ticket, which the agent resolves
    assert ticket.entries.filter(event=TicketEntry.Event.CHAT_ENDED, is_public=True).exists()
    transcript = Notification.objects.get(kind=Notification.Kind.CHAT_TRANSCRIPT)
    assert transcript.to_email == "katalin@example.hu"
    assert transcript.language == "hu"
    assert "My bill is twice the usual amount." in transcript.body_text
    assert "Megnéztem, a számla hibás volt." in transcript.body_text
    assert "Kedves Katalin Szabó" in transcript.body_text
    assert transcript.subject.startswith(f"[#{ticket.reference}]")


def test_no_transcript_without_an_address(client, queue, open_office):
    room = start(client, email="")["Location"]
    chat = Chat.objects.get()

    client.post(f"{room}end/")

    chat.refresh_from_db()
    assert not chat.is_live
    assert not Notification.objects.exists()


def test_ending_twice_changes_nothing(client, chat):
    client.post(reverse("helpdesk:chat-end", args=[chat.token]))
    client.post(reverse("helpdesk:chat-end", args=[chat.token]))

    assert chat.ticket.entries.filter(event=TicketEntry.Event.CHAT_ENDED).count() == 1
    assert Notification.objects.count() == 1


def test_an_ended_chat_takes_no_more_messages_and_stops_polling(client, chat):
    client.post(reverse("helpdesk:chat-end", args=[chat.token]))

    sent = client.post(
        reverse("helpdesk:chat-send", args=[chat.token]), {"body": "One more"}, HTTP_HX_REQUEST="true"
    )
    polled = poll(client, chat)

    assert "This chat has ended." in sent.content.decode()
    assert polled.status_code == 286  # htmx stops polling
    assert "This chat has ended. The conversation stays on your request." in polled.content.decode()
    assert not chat.ticket.entries.filter(body="One more").exists()


def test_a_silent_customer_ends_the_chat_after_the_silence_time(chat, settings, time_machine):
    settings.CHAT_SILENCE_MINUTES = 10
    time_machine.shift(timedelta(minutes=9))
    assert end_silent_chats() == "0 chat(s) ended"

    time_machine.shift(timedelta(minutes=2))
    assert end_silent_chats() == "1 chat(s) ended"

    chat.refresh_from_db()
    assert chat.end_reason == "silence"
    assert Notification.objects.filter(kind="chat_transcript").count() == 1
    assert len(mail.outbox) == 0  # written to the outbox; the worker sends it


def test_a_chat_ticket_is_taken_next_like_any_other(chat, agent, make_ticket):
    from helpdesk.queue import line

    assert line.take_next(agent) == chat.ticket


def test_intake_routes_a_given_queue(polish_queue, queue, open_office):
    ticket = intake.receive(
        channel="chat",
        identity_verified=False,
        subject="",
        body="Hi",
        name="Ola",
        queue=polish_queue,
        acknowledge=False,
    )
    assert ticket.queue == polish_queue


def test_only_one_queue_takes_the_chats(queue, polish_queue):
    from django.core.exceptions import ValidationError

    queue.serves_chat = True
    queue.save()
    polish_queue.serves_chat = True

    with pytest.raises(ValidationError) as error:
        polish_queue.clean()
    assert "“General” already takes the live chats." in str(error.value)


def test_the_demo_has_a_chat_queue_and_a_finished_chat(db, settings, open_office):
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    assert Queue.objects.for_chat().slug == "chat"
    chat = Chat.objects.get()
    assert not chat.is_live
    assert chat.ticket.entries.filter(kind="reply", data__hold_minutes=5).exists()


# --- live chat shares the line: customers on a live channel are served first -----------------


@pytest.fixture
def chat_queue(budapest_calendar, manager):
    return queue_with_default_sla(
        name="Live chat", slug="chat", calendar=budapest_calendar, manager=manager, serves_chat=True
    )


@pytest.fixture
def breached_email(make_ticket, queue, time_machine):
    # Friday 09:00, due by 17:00 and unanswered: breached by Monday morning.
    time_machine.move_to(datetime(2026, 2, 27, 8, 0, tzinfo=UTC), tick=False)
    ticket = make_ticket(channel="email", email="laszlo@example.hu")
    time_machine.move_to(MONDAY_MORNING, tick=False)
    check_sla()
    ticket.refresh_from_db()
    assert ticket.sla_band == SlaBand.BREACHED
    return ticket


def waiting_chat(name: str) -> tuple[Client, Chat]:
    customer = Client()
    token = start(customer, name=name).url.rstrip("/").rsplit("/", 1)[1]
    chat = Chat.objects.select_related("ticket").get(token_hash=hash_token(token))
    chat.token = token
    return customer, chat


def take_next(client) -> str:
    return client.post(reverse("helpdesk:take-next")).url


def test_the_place_in_line_a_chat_customer_sees_is_the_order_take_next_serves(
    client, agent, chat_queue, breached_email
):
    erika, erika_chat = waiting_chat("Kiss Erika")
    jan, jan_chat = waiting_chat("Jan Kowalski")
    client.force_login(agent)

    assert "Your place in line: 1." in poll(erika, erika_chat).content.decode()
    assert "Your place in line: 2." in poll(jan, jan_chat).content.decode()
    assert take_next(client) == erika_chat.ticket.get_absolute_url()
    assert "Your place in line: 1." in poll(jan, jan_chat).content.decode()
    assert take_next(client) == jan_chat.ticket.get_absolute_url()
    # Then the written requests, in the one queue order: the breached one first.
    assert take_next(client) == breached_email.get_absolute_url()


def test_a_chat_the_customer_has_left_waits_like_a_written_request(client, agent, chat_queue, breached_email):
    erika, erika_chat = waiting_chat("Kiss Erika")
    erika.post(reverse("helpdesk:chat-end", args=[erika_chat.token]))
    client.force_login(agent)

    assert take_next(client) == breached_email.get_absolute_url()
    assert take_next(client) == erika_chat.ticket.get_absolute_url()
