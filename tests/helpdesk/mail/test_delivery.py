"""Sending the outbox through a real SMTP server on a loopback port: headers, retries, the scan."""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
import time_machine
from django.utils import timezone

from helpdesk import tasks
from helpdesk.mail import delivery
from helpdesk.models import Notification, TicketEntry
from helpdesk.models.notification import RETRY_DELAYS
from tests.helpdesk.local_smtp import LocalSmtpServer, RecordingHandler, free_port

MONDAY_MORNING = datetime(2030, 3, 4, 8, 30, tzinfo=UTC)  # after any "now" the rows were written at


@pytest.fixture
def smtp(settings):
    """A mail server that accepts everything and remembers it."""
    with LocalSmtpServer(RecordingHandler()) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        yield server.handler


@pytest.fixture
def dead_smtp(settings):
    """A mail server that is down: nothing listens on its port, connections are refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2


@pytest.fixture
def acknowledged(make_ticket):
    """A returning customer's request, acknowledged: one pending notification in the outbox."""
    make_ticket(subject="Earlier question")
    ticket = make_ticket(subject="Charged twice", message_id="<q1@mail.example.hu>", acknowledge=True)
    return ticket.notifications.get()


@pytest.fixture
def support_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Ügyfélszolgálat <help@support.example>"


def test_the_acknowledgement_goes_out_threaded_with_a_text_and_an_html_part(
    smtp, support_address, acknowledged
):
    assert tasks.deliver_notification(acknowledged.pk) == "sent"

    [message] = smtp.received
    reference = acknowledged.ticket.reference
    # Django folds a long encoded subject onto its second line; readers drop the fold's space.
    assert message["Subject"].strip().startswith(f"[#{reference}] ")
    assert "Charged twice" in message["Subject"]
    assert message["Message-ID"] == acknowledged.message_id
    assert message["Message-ID"].endswith(f".{reference}@support.example>")
    assert message["In-Reply-To"] == "<q1@mail.example.hu>"
    assert message["References"].split() == [f"<ticket.{reference}@support.example>", "<q1@mail.example.hu>"]
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["From"] == "Ügyfélszolgálat <help@support.example>"
    assert message["Reply-To"] == "Ügyfélszolgálat <help@support.example>"
    assert message["To"] == "katalin@example.hu"
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_content() for part in message.iter_parts())
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert reference in text
    assert "<html" in html
    assert reference in html


def test_a_message_without_an_original_threads_on_the_ticket(make_ticket, settings):
    settings.DEFAULT_FROM_EMAIL = "help@support.example"
    ticket = make_ticket(channel="phone", acknowledge=True)
    message = message_from_bytes(
        delivery.build_message(ticket.notifications.get()).message().as_bytes(), policy=policy.default
    )

    thread = f"<ticket.{ticket.reference}@support.example>"
    assert message["In-Reply-To"] == thread
    assert message["References"] == thread


def test_an_agents_reply_is_not_marked_automatic(acknowledged):
    acknowledged.kind = Notification.Kind.REPLY

    message = delivery.build_message(acknowledged).message()

    assert message["Auto-Submitted"] is None
    assert message["Message-ID"] == acknowledged.message_id


def test_sending_records_sent_and_the_notified_event(smtp, acknowledged):
    delivery.deliver(acknowledged.pk)

    acknowledged.refresh_from_db()
    assert acknowledged.status == Notification.Status.SENT
    assert (acknowledged.attempts, acknowledged.last_error) == (1, "")
    assert acknowledged.sent_at is not None
    event = acknowledged.ticket.entries.get(event=TicketEntry.Event.NOTIFIED)
    assert event.data == {
        "kind": "acknowledgement",
        "to": "katalin@example.hu",
        "notification": acknowledged.pk,
    }


def test_a_sent_notification_is_never_sent_again(smtp, acknowledged):
    assert delivery.deliver(acknowledged.pk) == "sent"

    assert delivery.deliver(acknowledged.pk) == "not due"
    assert delivery.deliver_due() == 0
    assert len(smtp.received) == 1


def test_a_refused_connection_leaves_it_pending_with_the_error(dead_smtp, acknowledged):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert delivery.deliver(acknowledged.pk) == delivery.UNREACHABLE

        acknowledged.refresh_from_db()
        assert acknowledged.status == Notification.Status.PENDING
        assert acknowledged.attempts == 1
        assert "ConnectionRefusedError" in acknowledged.last_error
        assert acknowledged.next_attempt_at == MONDAY_MORNING + RETRY_DELAYS[0]
        assert not acknowledged.ticket.entries.filter(event=TicketEntry.Event.NOTIFIED).exists()


def test_retries_back_off_and_give_up_as_failed_after_the_last(dead_smtp, acknowledged):
    moment = MONDAY_MORNING
    with time_machine.travel(moment, tick=False) as clock:
        for attempt, delay in enumerate(RETRY_DELAYS, start=1):
            delivery.deliver(acknowledged.pk)
            acknowledged.refresh_from_db()
            assert (acknowledged.status, acknowledged.attempts) == ("pending", attempt)
            assert acknowledged.next_attempt_at == moment + delay
            # Not a second earlier.
            clock.move_to(moment + delay - timedelta(seconds=1))
            assert delivery.deliver(acknowledged.pk) == "not due"
            moment += delay
            clock.move_to(moment)

        delivery.deliver(acknowledged.pk)

    acknowledged.refresh_from_db()
    assert acknowledged.status == Notification.Status.FAILED
    assert acknowledged.attempts == len(RETRY_DELAYS) + 1
    assert "ConnectionRefusedError" in acknowledged.last_error
    assert Notification.objects.filter(pk=acknowledged.pk).exists()  # failed, never lost
    assert delivery.deliver_due() == 0


def test_the_next_attempt_after_a_failure_succeeds_once_the_server_is_back(dead_smtp, acknowledged, settings):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        delivery.deliver(acknowledged.pk)
        clock.shift(RETRY_DELAYS[0])
        with LocalSmtpServer(RecordingHandler()) as server:
            settings.EMAIL_PORT = server.port
            assert tasks.deliver_due_notifications() == 1

    acknowledged.refresh_from_db()
    assert (acknowledged.status, acknowledged.attempts, acknowledged.last_error) == ("sent", 2, "")
    assert [m["Message-ID"] for m in server.handler.received] == [acknowledged.message_id]


def test_a_claimed_notification_cannot_be_claimed_again(acknowledged):
    assert delivery.claim(acknowledged.pk) is not None

    assert delivery.claim(acknowledged.pk) is None
    assert delivery.deliver(acknowledged.pk) == "not due"


def test_a_stalled_claim_is_released_after_the_timeout_and_not_before(acknowledged):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        delivery.claim(acknowledged.pk)
        clock.shift(delivery.SENDING_TIMEOUT - timedelta(seconds=1))
        assert delivery.release_stalled() == 0
        clock.shift(timedelta(seconds=2))

        assert delivery.release_stalled() == 1

    acknowledged.refresh_from_db()
    assert (acknowledged.status, acknowledged.claimed_at, acknowledged.attempts) == ("pending", None, 1)
    assert "worker stopped" in acknowledged.last_error


def test_a_late_result_never_overwrites_a_newer_claim(smtp, acknowledged):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        first = delivery.claim(acknowledged.pk)
        clock.shift(delivery.SENDING_TIMEOUT + timedelta(minutes=1))
        delivery.release_stalled()
        second = delivery.claim(acknowledged.pk)

        delivery.record_failure(first, ConnectionResetError("too late"))

    acknowledged.refresh_from_db()
    assert acknowledged.status == Notification.Status.SENDING
    assert acknowledged.claimed_at == second.claimed_at


def test_the_scan_sends_the_oldest_due_first_up_to_its_limit(smtp, make_ticket):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        for name in ["anna", "bela", "cili", "dora"]:
            make_ticket(email=f"{name}@example.hu", acknowledge=True)
        rows = {n.to_email: n for n in Notification.objects.all()}
        for name, minutes_ago in [("anna", 1), ("bela", 30), ("cili", 10)]:
            Notification.objects.filter(pk=rows[f"{name}@example.hu"].pk).update(
                next_attempt_at=timezone.now() - timedelta(minutes=minutes_ago)
            )
        Notification.objects.filter(to_email="dora@example.hu").update(
            next_attempt_at=timezone.now() + timedelta(minutes=5)
        )

        assert delivery.deliver_due(limit=2) == 2
        assert [m["To"] for m in smtp.received] == ["bela@example.hu", "cili@example.hu"]

        assert delivery.deliver_due() == 1
        assert smtp.received[-1]["To"] == "anna@example.hu"
        assert Notification.objects.get(to_email="dora@example.hu").status == "pending"  # not due yet


def test_the_scan_stops_its_batch_when_the_server_is_down(dead_smtp, make_ticket):
    for name in ["anna", "bela", "cili"]:
        make_ticket(email=f"{name}@example.hu", acknowledge=True)

    assert delivery.deliver_due() == 1

    assert sorted(Notification.objects.values_list("attempts", flat=True)) == [0, 0, 1]
    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}


def test_the_scan_releases_stalled_rows_and_sends_them(smtp, acknowledged):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        delivery.claim(acknowledged.pk)  # a worker claimed it, then died
        clock.shift(delivery.SENDING_TIMEOUT + timedelta(seconds=1))

        assert tasks.deliver_due_notifications() == 1

    acknowledged.refresh_from_db()
    assert (acknowledged.status, acknowledged.attempts) == ("sent", 2)
    assert len(smtp.received) == 1
