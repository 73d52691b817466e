"""One reviewed answer to every open request of a theme (in one language), sent by the worker.

A manager drafts it, a second manager approves it (ThemeReply.approve), and the worker puts
it on each open ticket of the theme through the ticket's own reply (timeline, status page,
email in the outbox). Each ticket is claimed by a unique row first, so a retried or doubled
run never answers a customer twice.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Count

from feedback.models import RecurringComplaint, RecurringComplaintEvent, ThemeReply, ThemeReplyDelivery
from helpdesk.models import InvalidTransition, Ticket

logger = logging.getLogger(__name__)


def open_tickets(theme, language: str = ""):
    tickets = Ticket.objects.open().filter(theme_membership__theme=theme, merged_into__isnull=True)
    return tickets.filter(language=language) if language else tickets


def open_tickets_by_language(theme) -> dict[str, int]:
    return dict(
        open_tickets(theme).order_by().values("language").annotate(n=Count("pk")).values_list("language", "n")
    )


def enqueue(reply_id: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task("feedback.tasks.send_theme_reply", reply_id, task_name=f"theme-reply-{reply_id}")
    except Exception:
        logger.exception("theme answer %s not enqueued; the scheduled scan will send it", reply_id)


def approve(reply: ThemeReply, *, by) -> None:
    with transaction.atomic():
        reply.approve(by=by)
        transaction.on_commit(lambda: enqueue(reply.pk), robust=True)


def send(reply_id: int) -> int:
    """Answer every open ticket of the theme in the answer's language not answered yet; returns
    how many were answered now."""
    reply = ThemeReply.objects.select_related("theme", "drafted_by").filter(pk=reply_id).first()
    if reply is None or reply.status != ThemeReply.Status.APPROVED:
        return 0
    sent = 0
    for ticket in (
        open_tickets(reply.theme, reply.language).select_related("customer", "queue__calendar").order_by("pk")
    ):
        try:
            with transaction.atomic():
                ThemeReplyDelivery.objects.create(reply=reply, ticket=ticket)
                ticket.reply(by=reply.drafted_by, body=reply.body)
        except IntegrityError:
            continue  # answered by an earlier run
        except InvalidTransition:
            continue  # closed or merged since the list was read
        sent += 1
    with transaction.atomic():
        reply.mark_sent(reply.deliveries.count())
        recurring_complaint = RecurringComplaint.objects.filter(theme=reply.theme).first()
        if recurring_complaint is not None:
            recurring_complaint.events.create(
                kind=RecurringComplaintEvent.Kind.REPLY_SENT,
                actor=reply.approved_by,
                note=str(reply.sent_count),
            )
    return sent


def send_approved() -> int:
    ids = ThemeReply.objects.filter(status=ThemeReply.Status.APPROVED).values_list("pk", flat=True)
    return sum(send(reply_id) for reply_id in list(ids))
