"""Delivering the outbox: claim a notification, send it, record the outcome.

Sent once even when the worker restarts: a notification is claimed with a conditional UPDATE
(pending and due -> sending) before it is sent, and only the worker whose UPDATE changed the row
sends it. The per-notification task and the scheduled scan both go through `deliver()`, so they
can race for a row but never both send it. A worker that dies after claiming leaves the row in
"sending"; `release_stalled()` gives it back to pending after SENDING_TIMEOUT so it is not lost.

The one window SMTP leaves open: the server accepted the message (it answered 250 to DATA) and
the worker died before it recorded "sent". We cannot tell that apart from a worker that died
before the server accepted, so the row is released and sent again: at least once beats at most
once for a customer who is waiting for an answer. The repeat carries the same fixed Message-ID,
so mail servers and clients that de-duplicate on it show the message once. The window is as
short as one database UPDATE after the SMTP conversation.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from helpdesk.mail.link_secrets import without_secret_links
from helpdesk.models import Attachment, Notification, TicketEntry
from helpdesk.models.notification import RETRY_DELAYS

logger = logging.getLogger(__name__)

# Longer than any one SMTP conversation can take (EMAIL_TIMEOUT applies to each step), so a row
# still being sent is never released to a second worker.
SENDING_TIMEOUT = timedelta(minutes=10)

# Errors that say the mail server is unreachable rather than that one message is wrong: the
# scheduled scan stops its batch instead of knocking on a closed door for every due row.
SERVER_DOWN = (ConnectionError, TimeoutError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)
UNREACHABLE = "mail server unreachable"


def claim(notification_id: int, now: datetime | None = None) -> Notification | None:
    """Take a due notification for sending; None when it is not due or another worker has it."""
    now = now or timezone.now()
    claimed = (
        Notification.objects.due(now)
        .filter(pk=notification_id)
        .update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return Notification.objects.select_related("ticket").get(pk=notification_id)


def deliver(notification_id: int, *, connection=None) -> str:
    """Send one notification if it is due; every outcome is written on the row.

    A caller sending many (an announcement) passes one open mail `connection` for all of them.
    """
    notification = claim(notification_id)
    if notification is None:
        return "not due"
    try:
        message = build_message(notification)
        message.connection = connection
        message.send(fail_silently=False)
    except Exception as error:  # any transport or content error: retry later, never lose it
        record_failure(notification, error)
        return UNREACHABLE if isinstance(error, SERVER_DOWN) else f"failed: {type(error).__name__}"
    record_sent(notification)
    return "sent"


def build_message(notification: Notification) -> EmailMultiAlternatives:
    """The email as it goes out: threaded on the ticket, text and HTML, marked automatic if it is."""
    headers = {**notification.extra_headers, "Message-ID": notification.message_id}
    if notification.in_reply_to:
        headers["In-Reply-To"] = notification.in_reply_to
    if notification.references:
        headers["References"] = notification.references
    if notification.kind != Notification.Kind.REPLY:
        # RFC 3834: written by no person, so out-of-office robots must not answer it.
        automatic = notification.kind == Notification.Kind.ACKNOWLEDGEMENT
        headers["Auto-Submitted"] = "auto-replied" if automatic else "auto-generated"
        headers["X-Auto-Response-Suppress"] = "All"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        reply_to=[settings.DEFAULT_FROM_EMAIL],
        headers=headers,
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    if notification.entry_id:
        # Read through the storage API when the message is sent: the files may be elsewhere.
        room = settings.EMAIL_ATTACHMENTS_MAX_BYTES
        for attachment in Attachment.objects.filter(entry_id=notification.entry_id).order_by("pk"):
            if attachment.size > room:
                continue  # the email would be refused: this one is on the status page the email links to
            room -= attachment.size
            with attachment.file.open("rb") as handle:
                message.attach(attachment.filename, handle.read(), attachment.content_type)
    return message


def _still_ours(notification: Notification):
    # A row released as stalled and claimed again belongs to the new claim; never overwrite it.
    return Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.SENDING, claimed_at=notification.claimed_at
    )


def record_sent(notification: Notification) -> None:
    now = timezone.now()
    updated = _still_ours(notification).update(
        status=Notification.Status.SENT,
        sent_at=now,
        last_error="",
        claimed_at=None,
        **written_out(notification),
    )
    if not updated:
        logger.warning("notification %s was sent after its claim had been released", notification.pk)
        return
    if notification.ticket_id:
        notification.ticket.record_event(
            TicketEntry.Event.NOTIFIED,
            data={"kind": notification.kind, "to": notification.to_email, "notification": notification.pk},
        )


def written_out(notification: Notification) -> dict:
    """The stored copy of a sent message, its links to a status page, chat or survey cut before
    their secret: the customer has the message, and a copy of the database opens nothing.
    (Sent again after a bounce, the message points to the pages that look the request up.)"""
    return {
        "body_text": without_secret_links(notification.body_text),
        "body_html": without_secret_links(notification.body_html),
        "extra_headers": {
            name: without_secret_links(value) if isinstance(value, str) else value
            for name, value in (notification.extra_headers or {}).items()
        },
    }


def record_failure(notification: Notification, error: Exception) -> None:
    """Pending again after the next delay, or failed (still visible, retryable) after the last."""
    gave_up = notification.attempts > len(RETRY_DELAYS)
    logger.warning("notification %s attempt %s failed: %s", notification.pk, notification.attempts, error)
    _still_ours(notification).update(
        status=Notification.Status.FAILED if gave_up else Notification.Status.PENDING,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now() + (timedelta(0) if gave_up else retry_delay(notification.attempts)),
        claimed_at=None,
    )


def retry_delay(attempts: int) -> timedelta:
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def release_stalled(now: datetime | None = None) -> int:
    """Rows left in "sending" by a worker that died go back to pending (see the module docstring)."""
    now = now or timezone.now()
    return Notification.objects.stalled(now - SENDING_TIMEOUT).update(
        status=Notification.Status.PENDING,
        claimed_at=None,
        next_attempt_at=now,
        last_error="Released: the worker stopped while sending",
    )


def deliver_due(limit: int = 200) -> int:
    """The scheduled scan: oldest due first; stops early when the mail server is down."""
    release_stalled()
    ids = list(
        Notification.objects.due().order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    for tried, notification_id in enumerate(ids, start=1):
        if deliver(notification_id) == UNREACHABLE:
            logger.warning("mail server unreachable; %s due notifications wait", len(ids) - tried)
            return tried
    return len(ids)
