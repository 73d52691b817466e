"""The workspace conversation: replies, internal notes, canned responses, and not answering twice."""

import importlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from devtools.demo.canned_responses import CANNED_RESPONSES, seed_canned_responses
from helpdesk import tasks
from helpdesk.mail.outbox import ticket_thread_id
from helpdesk.models import CannedResponse, Notification, Ticket, TicketEntry
from helpdesk.models.workspace import PLACEHOLDER
from helpdesk.queue.expectations import expected_first_response
from tests.helpdesk.workspace.conftest import MONDAY_MORNING


def url(ticket, action=""):
    return f"/agent/tickets/{ticket.reference}/{action + '/' if action else ''}"


def seen_up_to(client, ticket) -> int:
    """Open the ticket as the signed-in agent; the newest entry they now have on screen."""
    return client.get(url(ticket)).context["reply_form"].initial["seen_up_to"]


def reply(client, ticket, body="Dear Katalin, the second charge is refunded.", **extra):
    data = {"body": body, "seen_up_to": seen_up_to(client, ticket), **extra}
    return client.post(url(ticket, "reply"), data)


# --- replying ---------------------------------------------------------------------------------


def test_a_reply_is_public_answers_first_and_goes_out_by_email_in_the_customers_language(
    client, agent, ticket
):
    client.force_login(agent)

    response = reply(client, ticket)

    assert response.status_code == 302
    assert response.url == url(ticket)
    entry = ticket.entries.get(kind=TicketEntry.Kind.REPLY)
    assert (entry.is_public, entry.author, entry.channel) == (True, agent, "web")
    ticket.refresh_from_db()
    assert ticket.first_responded_at == MONDAY_MORNING
    assert ticket.status == Ticket.Status.OPEN
    assert not ticket.is_in_line
    email = ticket.notifications.get()
    assert (email.kind, email.to_email, email.language) == ("reply", "katalin@example.hu", "hu")
    assert email.in_reply_to == ticket_thread_id(ticket)
    assert "the second charge is refunded" in email.body_text
    assert "the second charge is refunded" in email.body_html
    assert 'lang="hu"' in email.body_html
    with translation.override("hu"):
        assert gettext("Our answer to your request") in email.subject
        assert gettext("Kind regards,") in email.body_text
    assert "Anna" in email.body_text


def test_a_reply_threads_under_the_customers_own_email(client, agent, make_ticket):
    ticket = make_ticket(channel="email", message_id="<first@example.hu>")
    client.force_login(agent)

    reply(client, ticket)

    assert ticket.notifications.get().in_reply_to == "<first@example.hu>"


def test_a_customer_without_email_sees_the_reply_on_the_status_page_only(client, agent, make_ticket):
    ticket = make_ticket(channel="phone", email="", phone="+36 30 123 4567", by=agent)
    client.force_login(agent)

    reply(client, ticket)

    assert ticket.entries.filter(kind="reply", is_public=True).count() == 1
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("then", "status", "line"),
    [
        ("waiting", Ticket.Status.WAITING, "We are waiting for your answer"),
        ("resolved", Ticket.Status.RESOLVED, "simply reply to this email and we will pick it up again"),
    ],
)
def test_reply_and_move_on_sends_one_email_that_says_what_comes_next(
    client, agent, make_ticket, then, status, line
):
    ticket = make_ticket(language="en", email="kate@example.com")
    client.force_login(agent)

    reply(client, ticket, then=then)

    ticket.refresh_from_db()
    assert ticket.status == status
    email = ticket.notifications.get()
    assert line in email.body_text


def test_replying_needs_post(client, agent, ticket):
    client.force_login(agent)
    assert client.get(url(ticket, "reply")).status_code == 405


def test_replying_is_for_agents_only(client, outsider, ticket):
    assert client.post(url(ticket, "reply"), {"body": "hi", "seen_up_to": 0}).status_code == 302
    client.force_login(outsider)
    assert client.post(url(ticket, "reply"), {"body": "hi", "seen_up_to": 0}).status_code == 403
    assert not ticket.entries.filter(kind="reply").exists()


def test_replying_is_protected_against_cross_site_requests(agent, ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert client.post(url(ticket, "reply"), {"body": "hi", "seen_up_to": 0}).status_code == 403


def test_an_invalid_reply_keeps_the_draft(client, agent, ticket):
    client.force_login(agent)

    response = client.post(url(ticket, "reply"), {"body": "Half-written answer about the refund"})

    assert response.status_code == 200
    assert "Half-written answer about the refund" in response.text
    assert not ticket.entries.filter(kind="reply").exists()


def test_a_refused_draft_comes_back_as_text_with_the_error_beside_its_field(client, agent, ticket):
    client.force_login(agent)

    reply = client.post(url(ticket, "reply"), {"body": "<script>alert(1)</script> about the refund"})
    note = client.post(url(ticket, "note"), {"body": "   "})

    assert reply.status_code == note.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; about the refund" in reply.text
    assert "<script>alert(1)" not in reply.text
    assert "This field is required." in note.text
    assert 'aria-invalid="true"' in note.text


def test_a_closed_ticket_takes_no_reply_and_the_draft_stays(client, agent, ticket):
    ticket.close(by=agent)
    client.force_login(agent)

    response = reply(client, ticket, body="Sorry for the wait")

    assert response.status_code == 409
    assert "Sorry for the wait" in response.text
    assert "reopen it first" in response.text
    assert not ticket.entries.filter(kind="reply").exists()
    assert not Notification.objects.exists()


# --- never answering twice --------------------------------------------------------------------


def test_a_reply_is_held_back_when_a_colleague_answered_after_the_page_was_opened(
    client, agent, other_agent, ticket
):
    client.force_login(agent)
    opened = seen_up_to(client, ticket)
    ticket.reply(by=other_agent, body="Bence here: refund on its way.", seen_up_to=None)

    response = client.post(url(ticket, "reply"), {"body": "Anna's draft answer", "seen_up_to": opened})

    assert response.status_code == 409
    assert ticket.entries.filter(kind="reply").count() == 1
    assert ticket.notifications.count() == 1  # Bence's only
    assert 'data-testid="held-back"' in response.text
    assert 'data-testid="newer-reply"' in response.text
    assert "Bence here: refund on its way." in response.text
    assert "Anna&#x27;s draft answer" in response.text
    assert "Send anyway" in response.text

    # Having read it, the agent sends anyway: the form now carries the newer reply as seen.
    newest = response.context["reply_form"].initial["seen_up_to"]
    sent = client.post(url(ticket, "reply"), {"body": "Anna's draft answer", "seen_up_to": newest})

    assert sent.status_code == 302
    assert ticket.entries.filter(kind="reply", author=agent).count() == 1


def test_the_agents_own_earlier_reply_or_a_note_does_not_hold_back_the_next_one(
    client, agent, other_agent, ticket
):
    client.force_login(agent)
    opened = seen_up_to(client, ticket)
    ticket.reply(by=agent, body="First answer", seen_up_to=None)
    ticket.add_note(by=other_agent, body="Customer called twice")

    response = client.post(url(ticket, "reply"), {"body": "Second answer", "seen_up_to": opened})

    assert response.status_code == 302
    assert ticket.entries.filter(kind="reply").count() == 2


# --- internal notes ---------------------------------------------------------------------------


def test_an_internal_note_stays_internal(client, agent, ticket):
    client.force_login(agent)

    response = client.post(url(ticket, "note"), {"body": "Customer sounds upset; VIP account"})

    assert response.status_code == 302
    note = ticket.entries.get(kind=TicketEntry.Kind.NOTE)
    assert (note.is_public, note.author) == (False, agent)
    assert not Notification.objects.exists()
    page = client.get(url(ticket)).text
    assert "Internal note · never sent to the customer" in page


def test_internal_notes_never_reach_any_notification_or_public_entry(client, agent, make_ticket):
    ticket = make_ticket(language="en", email="kate@example.com")
    client.force_login(agent)
    client.post(url(ticket, "note"), {"body": "SECRET: credit check failed"})

    reply(client, ticket, then="waiting")
    client.post(url(ticket, "status"), {"status": "open"})
    client.post(url(ticket, "status"), {"status": "resolved", "message": "Refunded the charge."})
    client.post(url(ticket, "summary"), {"summary": "Charged twice for November."})

    notifications = list(ticket.notifications.all())
    assert len(notifications) == 2
    for notification in notifications:
        assert "SECRET" not in notification.subject + notification.body_text + notification.body_html
    assert not ticket.timeline().filter(is_public=True, body__contains="SECRET").exists()


def test_notes_need_text_and_post(client, agent, ticket):
    client.force_login(agent)
    assert client.get(url(ticket, "note")).status_code == 405
    response = client.post(url(ticket, "note"), {"body": "  "})
    assert response.status_code == 200
    assert response.context["note_form"].errors
    assert not ticket.entries.filter(kind="note").exists()


# --- canned responses -------------------------------------------------------------------------


def test_every_seeded_language_has_at_least_five_canned_responses_with_known_placeholders(db):
    seed_canned_responses()
    for language in ("en", "hu", "pl"):
        assert CannedResponse.objects.for_language(language).count() >= 5
    for response in CannedResponse.objects.all():
        unknown = PLACEHOLDER.sub("", response.body)
        assert "{" not in unknown, response.title
        assert "}" not in unknown, response.title
    assert seed_canned_responses() == 0  # seeding again adds nothing


def test_the_live_chat_holding_line_exists_in_every_language():
    for language, responses in CANNED_RESPONSES.items():
        assert any("3" in body and "{customer_name}" in body for _title, body in responses), language


def test_canned_responses_are_offered_in_the_tickets_language_first_and_filled_in(client, agent, ticket):
    seed_canned_responses()
    client.force_login(agent)

    response = client.get(url(ticket))

    offered = response.context["canned_responses"]
    languages = [canned.language for canned, _text in offered]
    assert languages[: languages.count("hu")] == ["hu"] * languages.count("hu")
    first = {canned.title: text for canned, text in offered}["Megértés és bocsánatkérés"]
    assert first.startswith("Köszönöm, hogy jelezte")  # the email greets; the canned text does not
    with translation.override("hu"):
        expected = str(expected_first_response(ticket))
    assert f"legkésőbb {expected}-ig jelentkezem" in first
    still_open = {c.title: t for c, t in offered}["Még egy adatra van szükségem"]
    assert ticket.reference in still_open
    assert "data-canned-picker" in response.text


@pytest.mark.parametrize(
    ("language", "name", "title", "greetings", "sign_offs"),
    [
        (
            "pl",
            "Krzysztof Zieliński",
            "Potrzebuję jeszcze jednej informacji",
            ["Dzień dobry"],
            ["Pozdrawiam"],
        ),
        ("hu", "Nagy István", "Még egy adatra van szükségem", ["Kedves"], ["Üdvözlettel"]),
    ],
)
def test_a_reply_from_a_canned_response_greets_once_and_signs_once(
    client, agent, make_ticket, language, name, title, greetings, sign_offs
):
    seed_canned_responses()
    ticket = make_ticket(name=name, email="customer@example.com", language=language)
    client.force_login(agent)
    canned = {c.title: text for c, text in client.get(url(ticket)).context["canned_responses"]}[title]

    # The agent fills in what the canned text leaves to them, in square brackets.
    response = reply(
        client,
        ticket,
        body=re.sub(r"\[[^\]]*\]", "numer klienta" if language == "pl" else "ügyfélszám", canned),
    )

    assert response.status_code == 302
    email = ticket.notifications.get()
    for body in (email.body_text, email.body_html):
        for greeting in greetings:
            assert body.count(greeting) == 1, body
        for sign_off in sign_offs:
            assert body.count(sign_off) == 1, body
        assert body.count(name) == 1, body
        assert body.count("Anna") == 1, body
    with translation.override(language):
        assert gettext("Dear %(name)s,") % {"name": name} in email.body_text
        assert gettext("Kind regards,") in email.body_text


def test_stored_canned_responses_lose_the_greeting_and_signature_the_email_adds():
    migration = importlib.import_module("helpdesk.migrations.0033_canned_responses_without_greeting")

    assert migration.without_greeting_and_signature(
        "Dzień dobry, {customer_name},\n\nżeby pójść dalej, potrzebuję numeru klienta.\n\nPozdrawiam\n{agent_name}"
    ) == ("Żeby pójść dalej, potrzebuję numeru klienta.")
    assert migration.without_greeting_and_signature(
        "Kedves {customer_name}!\n\nJó hírem van.\n\nÜdvözlettel:\n{agent_name}"
    ) == ("Jó hírem van.")
    chat = "Thank you for your patience, {customer_name}. I am checking this now."
    assert migration.without_greeting_and_signature(chat) == chat


def test_a_reply_with_no_expected_time_to_fill_in_is_refused_naming_the_placeholder(
    client, agent, ticket, time_machine
):
    seed_canned_responses()
    # Due on Monday at 17:00, unanswered on Tuesday and taken by the agent: nothing to promise.
    time_machine.move_to(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), tick=False)
    tasks.check_sla()
    ticket.assign(agent, by=agent)
    client.force_login(agent)
    offered = {c.title: text for c, text in client.get(url(ticket)).context["canned_responses"]}
    canned = offered["Acknowledge and apologise"]
    assert "{expected_time}" in canned  # left for the agent, not rendered as "by ."
    typed = canned.replace("[the problem in your own words]", "your November bill was taken twice")

    response = reply(client, ticket, body=typed)

    assert response.status_code == 200
    assert "Fill in {expected_time} before sending" in response.context["reply_form"].errors["body"][0]
    assert response.context["reply_form"]["body"].value() == typed
    assert "your November bill was taken twice" in response.text
    assert not ticket.entries.filter(kind=TicketEntry.Kind.REPLY).exists()
    assert not ticket.notifications.exists()


def test_a_reply_with_a_blank_of_a_canned_response_left_in_is_refused_naming_it(client, agent, ticket):
    seed_canned_responses()
    client.force_login(agent)
    canned = {c.title: text for c, text in client.get(url(ticket)).context["canned_responses"]}[
        "We need one more detail"
    ]

    response = reply(client, ticket, body=canned)

    assert response.status_code == 200
    assert "[what you need]" in response.context["reply_form"].errors["body"][0]
    assert not ticket.notifications.exists()
    filled = canned.replace("[what you need]", "your customer number")
    assert reply(client, ticket, body=filled).status_code == 302
    assert "your customer number" in ticket.notifications.get().body_text


# --- who else is here ------------------------------------------------------------------------


def test_the_page_says_who_else_is_viewing_and_who_is_writing(client, agent, other_agent, ticket):
    bence = Client()
    bence.force_login(other_agent)
    bence.get(url(ticket))
    client.force_login(agent)

    assert "Bence is viewing" in client.get(url(ticket)).text

    bence.post(url(ticket, "presence"), {"replying": "1"})
    response = client.post(url(ticket, "presence"))

    assert response.status_code == 200
    assert "Bence is writing a reply" in response.text
    assert "Anna" not in response.text  # not warned about oneself


def test_a_colleague_who_left_is_forgotten_after_half_a_minute(
    client, agent, other_agent, ticket, time_machine
):
    bence = Client()
    bence.force_login(other_agent)
    bence.post(url(ticket, "presence"), {"replying": "1"})
    client.force_login(agent)

    time_machine.move_to(MONDAY_MORNING + timedelta(seconds=31), tick=False)

    response = client.post(url(ticket, "presence"))

    assert response.status_code == 200
    assert "Bence" not in response.text


def test_presence_is_posted_by_agents_only(client, agent, outsider, ticket):
    client.force_login(agent)
    assert client.get(url(ticket, "presence")).status_code == 405
    client.force_login(outsider)
    assert client.post(url(ticket, "presence")).status_code == 403


def test_sending_the_reply_clears_the_writing_flag(client, agent, other_agent, ticket):
    client.force_login(agent)
    client.post(url(ticket, "presence"), {"replying": "1"})

    reply(client, ticket)

    bence = Client()
    bence.force_login(other_agent)
    seen_by_bence = bence.post(url(ticket, "presence")).text
    assert "Anna is viewing" in seen_by_bence
    assert "writing" not in seen_by_bence


def test_an_agent_idling_on_a_request_writes_no_row_and_still_sees_a_colleague(
    client, agent, other_agent, ticket, time_machine
):
    """Presence lives in the cache: the page's "still here" every ten seconds is a read of the
    request and of the session, never an INSERT or UPDATE, however long the page stays open."""
    bence = Client()
    bence.force_login(other_agent)
    bence.get(url(ticket))
    client.force_login(agent)
    client.get(url(ticket))

    answers = []
    with CaptureQueriesContext(connection) as queries:
        for seconds in range(10, 130, 10):  # two minutes open, both pages saying "still here"
            time_machine.move_to(MONDAY_MORNING + timedelta(seconds=seconds), tick=False)
            bence.post(url(ticket, "presence"))
            answers.append(client.post(url(ticket, "presence")).text)

    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.IGNORECASE)]
    assert writes == []
    assert all("Bence is viewing" in answer for answer in answers)


def test_a_colleague_arriving_or_starting_a_reply_is_pushed_to_the_open_page(
    client, agent, other_agent, ticket, django_capture_on_commit_callbacks, settings
):
    from helpdesk import live

    settings.LIVE_PUSH = True
    page = client
    page.force_login(agent)
    assert f'data-live-channel="ticket:{ticket.pk}"' in page.get(url(ticket)).text
    bence = Client()
    bence.force_login(other_agent)
    told = []
    subscription = live.hub().subscribe([f"ticket:{ticket.pk}"])
    try:
        with django_capture_on_commit_callbacks(execute=True):
            bence.get(url(ticket))  # arrives
        told.append(subscription.get(timeout=5))
        with django_capture_on_commit_callbacks(execute=True):
            bence.post(url(ticket, "presence"))  # still here: no news
            bence.post(url(ticket, "presence"), {"replying": "1"})  # starts a reply
        told.append(subscription.get(timeout=5))
        told.append(subscription.get(timeout=0.5))
    finally:
        live.hub().unsubscribe(subscription)

    assert [event and event.name for event in told] == ["presence", "presence", None]
