"""Delivering the outbox: claim a notification, send it, record the outcome.

Sent once even when the worker restarts: a notification is claimed with a conditional UPDATE
(pending -> sending) before it is sent, so two workers never send the same row. A worker that
dies after claiming leaves the row in "sending"; `release_stalled()` gives it back to pending
after SENDING_TIMEOUT so it is not lost.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from helpdesk.models import Notification, TicketEntry
from helpdesk.models.notification import RETRY_DELAYS

logger = logging.getLogger(__name__)

SENDING_TIMEOUT = timedelta(minutes=10)


def claim(notification_id: int) -> Notification | None:
    now = timezone.now()
    claimed = (
        Notification.objects.due(now)
        .filter(pk=notification_id)
        .update(status=Notification.Status.SENDING, claimed_at=now)
    )
    return Notification.objects.select_related("ticket").get(pk=notification_id) if claimed else None


def deliver(notification_id: int) -> str:
    notification = claim(notification_id)
    if notification is None:
        return "not due"
    try:
        build_message(notification).send(fail_silently=False)
    except Exception as error:  # any transport error: retry later, never lose the message
        record_failure(notification, error)
        return f"failed: {error}"
    record_sent(notification)
    return "sent"


def build_message(notification: Notification) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": notification.message_id,
        "Auto-Submitted": "auto-replied"
        if notification.kind == Notification.Kind.ACKNOWLEDGEMENT
        else "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    if notification.in_reply_to:
        headers["In-Reply-To"] = notification.in_reply_to
    if notification.references:
        headers["References"] = notification.references
    message = EmailMultiAlternatives(
        subject=notification.subject, body=notification.body_text, to=[notification.to_email], headers=headers
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    return message


def record_sent(notification: Notification) -> None:
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT, sent_at=now, attempts=notification.attempts + 1, last_error=""
    )
    if notification.ticket_id:
        notification.ticket.record_event(
            TicketEntry.Event.NOTIFIED,
            data={"kind": notification.kind, "to": notification.to_email, "notification": notification.pk},
        )


def record_failure(notification: Notification, error: Exception) -> None:
    attempts = notification.attempts + 1
    gave_up = attempts > len(RETRY_DELAYS)
    logger.warning("notification %s attempt %s failed: %s", notification.pk, attempts, error)
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED if gave_up else Notification.Status.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now() + (RETRY_DELAYS[-1] if gave_up else RETRY_DELAYS[attempts - 1]),
        claimed_at=None,
    )


def release_stalled(now=None) -> int:
    """Rows left in "sending" by a worker that died go back to pending."""
    now = now or timezone.now()
    return Notification.objects.filter(
        status=Notification.Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT
    ).update(status=Notification.Status.PENDING, claimed_at=None)


def deliver_due(limit: int = 200) -> int:
    release_stalled()
    ids = list(Notification.objects.due().order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    for notification_id in ids:
        deliver(notification_id)
    return len(ids)
