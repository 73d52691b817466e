"""SLA breach alerts: a breached ticket reaches the queue's manager once, on their list and by email.

The worker's scan (helpdesk.tasks.check_sla) calls `alert_sla_breaches` every minute. A ticket
is alerted when its SLA clock runs (a ticket waiting on the customer never is) and its due time
has passed, whether the band scan or a save noticed the breach first. The claim is a
conditional UPDATE on `sla_breach_notified_at`, so two workers never both alert one ticket.

The alert puts an attention request (kind "SLA breach") on the manager's list and mails them.
The mail goes to a staff member, not a customer, so it does not use the customer outbox
(helpdesk.mail.outbox): the worker sends it right after the alert is committed (call these
functions outside a transaction, as the task does). If the mail server refuses it, the
attention request is still on the manager's list, which is the record.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from helpdesk.models import AttentionRequest, Ticket, TicketEntry
from helpdesk.models.staff import staff_language

logger = logging.getLogger(__name__)

# Enough for any normal minute; a backlog (the first scan after an outage) drains over a few.
BATCH = 200


def alert_sla_breaches(now: datetime | None = None, *, batch: int = BATCH) -> list[int]:
    """Alert the manager of every ticket past its SLA who has not been told; returns their ids."""
    now = now or timezone.now()
    candidates = (
        Ticket.objects.past_due(now)
        .filter(sla_breach_notified_at__isnull=True)
        .order_by("sla_due_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    return [ticket_id for ticket_id in list(candidates) if alert_sla_breach(ticket_id, now=now)]


def alert_sla_breach(ticket_id: int, *, now: datetime) -> bool:
    """Claim one breached ticket and alert its manager; False when another scan claimed it first."""
    with transaction.atomic():
        claimed = (
            Ticket.objects.past_due(now)
            .filter(pk=ticket_id, sla_breach_notified_at__isnull=True)
            .update(sla_breach_notified_at=now)
        )
        if not claimed:
            return False
        ticket = Ticket.objects.select_related(
            "queue__calendar", "queue__manager", "customer", "assignee"
        ).get(pk=ticket_id)
        target = "resolution" if ticket.first_responded_at else "first_response"
        ticket.record_event(
            TicketEntry.Event.SLA_BREACHED,
            data={"target": target, "due_at": ticket.sla_due_at.isoformat()},
            public=False,
        )
        AttentionRequest.objects.create(
            ticket=ticket,
            kind=AttentionRequest.Reason.SLA_BREACH,
            # Codes, not words: every manager reads the reason in their own language.
            data={
                "target": target,
                "due_at": ticket.sla_due_at.isoformat(),
                "time_zone": ticket.queue.calendar.time_zone,
            },
            raised_at=now,
        )
        language = staff_language(ticket.queue.manager)
    # Committed first: a slow or failing mail server never holds the claim or undoes it.
    send_breach_mail(ticket, target=target, language=language)
    return True


def send_breach_mail(ticket: Ticket, *, target: str, language: str) -> None:
    manager = ticket.queue.manager
    if not manager.email:
        return
    context = {
        "ticket": ticket,
        "manager": manager,
        "first_response": target == "first_response",
        "due_at": timezone.localtime(ticket.sla_due_at, ticket.queue.calendar.calendar.tz),
        "ticket_url": settings.SITE_URL + ticket.get_absolute_url(),
        "attention_url": settings.SITE_URL + reverse("helpdesk:manager-attention"),
    }
    with translation.override(language):
        subject = " ".join(render_to_string("emails/sla_breach_subject.txt", context).split())
        body = render_to_string("emails/sla_breach_body.txt", context).strip() + "\n"
    message = EmailMessage(
        f"[#{ticket.reference}] {subject}",
        body,
        to=[manager.email],
        headers={"Content-Language": language},
    )
    try:
        message.send()
    except Exception:  # the alert is committed and on the manager's list either way
        logger.exception("SLA breach mail for ticket %s not sent", ticket.pk)
