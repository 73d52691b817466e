"""The outbox as agents and customers meet it: written with the change, visible, retryable."""

import time
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.models import OrmQ

from helpdesk import intake
from helpdesk.mail import delivery
from helpdesk.models import Notification, TicketEntry
from tests.helpdesk.local_smtp import free_port


@pytest.fixture
def dead_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2


@pytest.fixture
def failed(make_ticket):
    """An acknowledgement the mail server refused until the worker gave up on it."""
    ticket = make_ticket(acknowledge=True)
    notification = ticket.notifications.get()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED, attempts=6, last_error="ConnectionRefusedError: [Errno 111]"
    )
    notification.refresh_from_db()
    return notification


def ticket_url(ticket):
    return f"/agent/tickets/{ticket.reference}/"


def retry_url(notification):
    return f"/agent/tickets/{notification.ticket.reference}/notifications/{notification.pk}/retry/"


# --- written with the change, sent by the worker only --------------------------------------


def test_the_acknowledgement_is_written_with_the_ticket_and_enqueued_only_after_commit(
    make_ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        ticket = make_ticket(acknowledge=True)
        assert ticket.notifications.get().status == Notification.Status.PENDING
        assert not OrmQ.objects.exists()

    for callback in callbacks:  # the delivery's enqueueing, and the live pages' news
        callback()
    assert OrmQ.objects.get().task["args"] == (ticket.notifications.get().pk,)


def test_a_request_that_fails_writes_no_message(make_ticket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        make_ticket(acknowledge=True, attachments=[intake.IncomingAttachment("virus.exe", "x/y", b"MZ")])

    assert not Notification.objects.exists()
    assert callbacks == []


def test_a_dead_mail_server_does_not_slow_or_fail_the_request(
    dead_smtp, queue, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = intake.receive(
            channel="web",
            identity_verified=False,
            subject="Nem működik a mérőóra",
            body="Tegnap óta nem mutat semmit.",
            name="Kovács Péter",
            email="peter@example.hu",
            language="hu",
        )

    assert time.monotonic() - started < 1.5  # no SMTP conversation inside the request
    notification = ticket.notifications.get()
    assert (notification.status, notification.attempts) == ("pending", 0)
    assert OrmQ.objects.count() == 1

    # The worker meets the dead server later: the row waits for its retry, nothing is lost.
    delivery.deliver(notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in notification.last_error


# --- the ticket page -----------------------------------------------------------------------


def test_agents_see_each_notification_and_its_delivery_state(client, agent, failed, make_ticket):
    bounced = Notification.objects.create(
        ticket=failed.ticket,
        customer=failed.customer,
        kind=Notification.Kind.STATUS,
        to_email="katalin@example.hu",
        language="hu",
        subject="[#X] Update",
        body_text="…",
        message_id="<bounced@localhost>",
    )
    bounced.record_bounce("550 5.1.1 Mailbox unavailable")
    client.force_login(agent)

    page = client.get(ticket_url(failed.ticket)).content.decode()

    assert page.count('data-testid="notification"') == 2
    assert 'data-status="failed"' in page
    assert "ConnectionRefusedError: [Errno 111]" in page
    assert "6 attempts" in page
    assert "550 5.1.1 Mailbox unavailable" in page
    assert "text-bg-danger" in page
    assert page.count(f'action="{retry_url(failed)}"') == 1
    assert page.count("/retry/") == 2


def test_a_sent_message_shows_when_it_went_and_has_no_retry_button(client, agent, make_ticket, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notification = make_ticket(acknowledge=True).notifications.get()
    delivery.deliver(notification.pk)
    client.force_login(agent)

    page = client.get(ticket_url(notification.ticket)).content.decode()

    assert 'data-status="sent"' in page
    assert "text-bg-success" in page
    assert "/retry/" not in page


def test_the_ticket_page_costs_the_same_queries_with_many_notifications(
    client, agent, make_ticket, django_assert_num_queries
):
    ticket = make_ticket(acknowledge=True)
    client.force_login(agent)
    client.get(ticket_url(ticket))  # warm the session and the site caches
    with CaptureQueriesContext(connection) as one:
        client.get(ticket_url(ticket))
    base = ticket.notifications.get()
    for number in range(5):
        Notification.objects.create(
            ticket=ticket,
            customer=base.customer,
            kind=Notification.Kind.STATUS,
            to_email=base.to_email,
            language="hu",
            subject="x",
            body_text="x",
            message_id=f"<n{number}@localhost>",
            status=Notification.Status.FAILED,
            attempts=number,
        )

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(ticket_url(ticket))

    assert response.content.decode().count('data-testid="notification"') == 6


# --- sending again -------------------------------------------------------------------------


def test_an_agent_sends_a_failed_message_again(client, agent, failed, django_capture_on_commit_callbacks):
    client.force_login(agent)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url(failed))

    assert response.status_code == 302
    assert response.url == ticket_url(failed.ticket)
    failed.refresh_from_db()
    assert failed.status == Notification.Status.PENDING
    assert failed.attempts == 6  # the same row with its history, not a copy
    assert Notification.objects.count() == 1
    assert OrmQ.objects.get().task["args"] == (failed.pk,)
    event = failed.ticket.entries.get(event=TicketEntry.Event.NOTIFICATION_RETRIED)
    assert (event.author, event.is_public) == (agent, False)
    assert event.data["was"] == "failed"


def test_a_bounced_message_can_be_sent_again_and_goes_out_with_the_same_message_id(
    client, agent, failed, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=failed.pk).update(status=Notification.Status.BOUNCED)
    client.force_login(agent)

    client.post(retry_url(failed))
    delivery.deliver(failed.pk)

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 7)
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [failed.message_id]


def test_sending_again_twice_gives_one_attempt(client, agent, failed):
    client.force_login(agent)

    client.post(retry_url(failed))
    response = client.post(retry_url(failed), follow=True)

    assert "Only a failed or bounced message can be sent again." in response.content.decode()
    assert failed.ticket.entries.filter(event=TicketEntry.Event.NOTIFICATION_RETRIED).count() == 1


def test_a_pending_message_cannot_be_sent_again(client, agent, make_ticket):
    notification = make_ticket(acknowledge=True).notifications.get()
    client.force_login(agent)

    client.post(retry_url(notification))

    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert not notification.ticket.entries.filter(event=TicketEntry.Event.NOTIFICATION_RETRIED).exists()


def test_sending_again_needs_a_post(client, agent, failed):
    client.force_login(agent)

    assert client.get(retry_url(failed)).status_code == 405
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED


def test_only_agents_can_send_again(client, outsider, failed):
    assert client.post(retry_url(failed)).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.post(retry_url(failed)).status_code == 403
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED


def test_a_notification_is_sent_again_only_from_its_own_ticket(client, agent, failed, make_ticket):
    other = make_ticket(email="someone@example.pl")
    client.force_login(agent)

    response = client.post(f"/agent/tickets/{other.reference}/notifications/{failed.pk}/retry/")

    assert response.status_code == 404


def test_sending_again_is_protected_against_cross_site_requests(failed, agent):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)

    assert client.post(retry_url(failed)).status_code == 403


# --- the acknowledgement in three languages ------------------------------------------------

GREETING = {
    "en": "Thank you for contacting us",
    "hu": "Köszönjük, hogy megkeresett minket",
    "pl": "Dziękujemy",
}
SUBJECT = {"en": "We have received your request", "hu": "Megkaptuk", "pl": "Otrzymaliśmy Twoje zgłoszenie"}
ENGLISH = [
    "Dear",
    "Thank you",
    "Your reference",
    "expect a reply",
    "place in line",
    "status page",
    "See your request",
    "If you write to us again",
    "Kind regards",
    "Customer service",
    "We have received",
    "today between",
]
# A request on Monday 2 March 2026 at 09:00 in Budapest, first in line at the default pace of
# four answers an hour: 15 minutes, told as a range.
EXPECTED = {
    "en": "today between 09:15 and 09:30",
    "hu": "ma 09:15 és 09:30 között",
    "pl": "dziś między 09:15 a 09:30",
}


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_the_acknowledgement_is_written_in_the_customers_language(make_ticket, language, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False)
    ticket = make_ticket(language=language, email=f"{language}@example.eu", acknowledge=True)
    notification = ticket.notifications.get()

    assert SUBJECT[language] in notification.subject
    for body in (notification.body_text, notification.body_html):
        assert GREETING[language] in body
        assert ticket.reference in body
        assert EXPECTED[language] in body
    assert notification.language == language
    assert f'lang="{language}"' in notification.body_html
    if language != "en":
        for english in ENGLISH:
            assert english not in notification.subject + notification.body_text + notification.body_html
