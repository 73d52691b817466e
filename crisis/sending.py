"""Sending a published update to every linked customer and subscriber, once each.

Exactly one message per address and update, even when the worker dies half-way:
1. the recipients are listed by INSERT … SELECT in the database, against a unique constraint
   (update, address), so listing again adds nobody twice;
2. recipients without a message are taken in batches (FOR UPDATE SKIP LOCKED, so two workers
   take different ones) and each gets its outbox message in the same transaction that records
   it on the recipient row: a batch is written completely or not at all;
3. the outbox (helpdesk.mail.delivery) claims each message before sending it, so a message is sent
   once whoever delivers it: this task, its next run, or the scheduled scan.
The publishing request only enqueues the task, so it returns at once whatever the count.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from crisis import emails
from crisis.models import IncidentTicket, IncidentUpdate, Subscription, UpdateRecipient
from helpdesk import live
from helpdesk.mail import delivery
from helpdesk.models import Customer, Notification, Ticket

logger = logging.getLogger(__name__)

# One task sends for about this long, then hands over to a fresh task: well under the
# worker's timeout, and the queue stays fair to other work.
TASK_SECONDS = 60
RESUME_AFTER = timedelta(minutes=5)


def start_on_commit(update_id: int) -> None:
    transaction.on_commit(lambda: enqueue(update_id), robust=True)


def enqueue(update_id: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task("crisis.tasks.send_update", update_id, task_name=f"incident-update-{update_id}")
    except Exception:  # the broker is down: the scheduled scan (resume_update_sending) continues
        logger.exception("incident update %s not enqueued; the scheduled scan will send it", update_id)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def list_recipients(update: IncidentUpdate) -> int:
    """List every address to send to, in the database; safe to run again. Returns the count.

    Linked customers come first, so an address that is both keeps the customer's language.
    Addresses that opted out of this incident's updates are left out.
    """
    recipients, links, tickets = _table(UpdateRecipient), _table(IncidentTicket), _table(Ticket)
    customers, subscriptions = _table(Customer), _table(Subscription)
    now = timezone.now()
    opted_out = (
        f"NOT EXISTS (SELECT 1 FROM {subscriptions} s WHERE s.incident_id = %s "  # noqa: S608
        "AND s.email = LOWER(c.email) AND s.unsubscribed_at IS NOT NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {recipients} (update_id, email, language, customer_id, ticket_id, created_at) "  # noqa: S608
            f"SELECT %s, LOWER(c.email), MIN(c.language), c.id, MIN(t.id), %s FROM {links} l "
            f"JOIN {tickets} t ON t.id = l.ticket_id JOIN {customers} c ON c.id = t.customer_id "
            f"WHERE l.incident_id = %s AND c.email <> '' AND {opted_out} "
            "GROUP BY c.id, LOWER(c.email) ON CONFLICT DO NOTHING",
            [update.pk, now, update.incident_id, update.incident_id],
        )
        cursor.execute(
            f"INSERT INTO {recipients} (update_id, email, language, customer_id, ticket_id, created_at) "  # noqa: S608
            f"SELECT %s, s.email, s.language, NULL, NULL, %s FROM {subscriptions} s "
            "WHERE s.incident_id = %s AND s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL "
            "ON CONFLICT DO NOTHING",
            [update.pk, now, update.incident_id],
        )
    count = UpdateRecipient.objects.filter(update=update).count()
    IncidentUpdate.objects.filter(pk=update.pk).update(recipient_count=count)
    update.recipient_count = count
    return count


def write_batch(update: IncidentUpdate, size: int | None = None) -> list[int]:
    """Write the outbox messages of the next recipients that have none (INCIDENT_UPDATE_BATCH of
    them unless `size` says); returns their ids."""
    size = size or settings.INCIDENT_UPDATE_BATCH
    with transaction.atomic():
        batch = list(
            UpdateRecipient.objects.select_for_update(skip_locked=True)
            .filter(update=update, notification__isnull=True)
            .order_by("pk")[:size]
        )
        if not batch:
            return []
        notifications = Notification.objects.bulk_create(emails.update_messages(update, batch))
        for recipient, notification in zip(batch, notifications, strict=True):
            recipient.notification = notification
        UpdateRecipient.objects.bulk_update(batch, ["notification"])
    return [notification.pk for notification in notifications]


def leftover_messages(update: IncidentUpdate) -> list[int]:
    """Messages of this update still due: written by a worker that stopped before sending."""
    written = UpdateRecipient.objects.filter(update=update, notification__isnull=False).values("notification")
    return list(Notification.objects.due().filter(pk__in=written).order_by("pk").values_list("pk", flat=True))


class Mailer:
    """One mail-server connection for many messages, opened again after the server drops it."""

    def __init__(self):
        self.connection = None

    def deliver(self, notification_id: int) -> str:
        if self.connection is None:
            self.connection = self.open()
        outcome = delivery.deliver(notification_id, connection=self.connection)
        if outcome == delivery.UNREACHABLE:
            self.close()
        return outcome

    @staticmethod
    def open():
        connection = get_connection()
        try:
            # Opened here, so every send on it reuses it rather than opening and closing its own.
            connection.open()
        except Exception:  # the server is down: each delivery records its own failure
            logger.warning("mail server unreachable; sending without a shared connection", exc_info=True)
            return None
        return connection

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # closing a connection the server already dropped
                logger.debug("closing the mail connection failed", exc_info=True)
            self.connection = None


def send(update_id: int, *, seconds: float = TASK_SECONDS) -> str:
    """The worker's part: list, write and deliver for up to `seconds`; then continue in a new task."""
    update = IncidentUpdate.objects.select_related("incident").get(pk=update_id)
    if update.state != IncidentUpdate.State.PUBLISHED:
        return "not published"
    if update.recipient_count is None:
        list_recipients(update)
    started, mailer, sent = time.monotonic(), Mailer(), 0
    delivery.release_stalled()
    try:
        for notification_id in leftover_messages(update):
            sent += mailer.deliver(notification_id) == "sent"
        while time.monotonic() - started < seconds:
            ids = write_batch(update)
            if not ids:
                break
            for notification_id in ids:
                sent += mailer.deliver(notification_id) == "sent"
            live.publish(progress_channel(update_id), "progress")
        else:
            enqueue(update_id)
            return f"{sent} sent, continuing"
    finally:
        mailer.close()
    IncidentUpdate.objects.filter(pk=update_id, sending_finished_at__isnull=True).update(
        sending_finished_at=timezone.now()
    )
    live.publish(progress_channel(update_id), "done")
    if update.is_final:
        from crisis import resolution

        resolution.settle_linked_tickets(update)
    return f"{sent} sent, all written"


def progress_channel(update_id: int) -> str:
    """Where the sending's progress is published (helpdesk.live): the update's page follows it."""
    return f"progress:crisis-update-{update_id}"


def progress(update: IncidentUpdate) -> dict:
    """Sent, failed and pending messages of an update: one query."""
    counts = UpdateRecipient.objects.filter(update=update).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(notification__status=Notification.Status.SENT)),
        failed=Count(
            "pk", filter=Q(notification__status__in=[Notification.Status.FAILED, Notification.Status.BOUNCED])
        ),
    )
    total = update.recipient_count if update.recipient_count is not None else counts["total"]
    pending = max(total - counts["sent"] - counts["failed"], 0)
    done = update.recipient_count is not None and pending == 0
    percent = lambda n: round(100 * n / total, 1) if total else 0  # noqa: E731
    return {
        **counts,
        "total": total,
        "pending": pending,
        "listed": update.recipient_count is not None,
        "done": done,
        "sent_percent": percent(counts["sent"]),
        "failed_percent": percent(counts["failed"]),
    }


def unfinished_updates():
    """Published a while ago and still not all written: the chain of tasks was broken (a worker
    died mid-task, the broker lost it). Younger ones are left to their running chain."""
    return IncidentUpdate.objects.filter(
        state=IncidentUpdate.State.PUBLISHED,
        sending_finished_at__isnull=True,
        published_at__lt=timezone.now() - RESUME_AFTER,
    ).values_list("pk", flat=True)
