"""Agents' notifications: one function per event, called where the event happens.

Each writes AgentAlert rows inside the caller's transaction (a rolled-back change alerts
nobody) and, for the agents who chose that kind by email, a message to the outbox in their
language, sent by the worker after commit. Nobody is alerted of their own doing.

Other apps call `compensation_decided` (crisis); the helpdesk never imports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from helpdesk import live
from helpdesk.models import Notification, Queue, StaffProfile, Ticket
from helpdesk.models.agent_alert import AgentAlert
from helpdesk.models.queue_place import SLA_CLOCK_RUNNING
from helpdesk.models.staff import staff_language, staff_name
from helpdesk.roles import AGENTS, MANAGERS, is_agent

Kind = AgentAlert.Kind

# `@anna` in an internal note: a username as Django allows it, not the end of an email address.
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]*[\w+-])")

# How many at-risk tickets one scan alerts; a backlog drains over the next minutes.
AT_RISK_BATCH = 200


def assigned(ticket: Ticket, *, to, by) -> None:
    """The ticket was given to `to` by someone else (a colleague, a manager, a routing rule)."""
    if to is not None and getattr(by, "pk", None) != to.pk:
        alert([to], Kind.ASSIGNED, ticket=ticket, actor=by)


def customer_replied(ticket: Ticket) -> None:
    """The customer wrote again on an assigned ticket; one unread alert per ticket is enough."""
    if ticket.assignee_id is None:
        return
    already = AgentAlert.objects.unread().filter(
        ticket=ticket, kind=Kind.CUSTOMER_REPLIED, recipient_id=ticket.assignee_id
    )
    if not already.exists():
        alert([ticket.assignee], Kind.CUSTOMER_REPLIED, ticket=ticket)


def mentioned_in_note(ticket: Ticket, *, body: str, by) -> None:
    """`@username` in an internal note alerts that colleague (agents only, never the writer)."""
    names = {name.lower() for name in MENTION.findall(body)}
    if not names:
        return
    any_name = Q()
    for name in names:
        any_name |= Q(username__iexact=name)
    named = get_user_model().objects.filter(any_name, is_active=True)
    recipients = [user for user in named.exclude(pk=by.pk) if is_agent(user)]
    alert(recipients, Kind.MENTIONED, ticket=ticket, actor=by)


def chat_waiting(ticket: Ticket) -> None:
    """A live chat arrived and no agent has joined: every agent serving its queue is told."""
    alert(agents_serving(ticket.queue), Kind.CHAT_WAITING, ticket=ticket)


def chat_joined(ticket: Ticket) -> None:
    """Someone took the chat: the others' "chat waiting" alerts are no longer news."""
    AgentAlert.objects.filter(ticket=ticket, kind=Kind.CHAT_WAITING).mark_read()


def compensation_decided(*, proposer, ticket: Ticket, approved: bool, by) -> None:
    """Called by an app that decides compensation (crisis): the proposer learns the decision."""
    if proposer is not None and getattr(by, "pk", None) != proposer.pk:
        alert([proposer], Kind.COMPENSATION_DECIDED, ticket=ticket, actor=by, data={"approved": approved})


def alert_at_risk_tickets(now: datetime | None = None, *, batch: int = AT_RISK_BATCH) -> int:
    """Scheduled with the SLA scan: the assignee of each ticket that entered "at risk" is told,
    once per ticket and SLA target (the unique key makes a repeat or a second scan write nothing).
    A ticket nobody has taken is everyone's: the agents serving its queue are told, once."""
    now = now or timezone.now()
    at_risk = Ticket.objects.filter(SLA_CLOCK_RUNNING, sla_at_risk_at__lte=now, sla_due_at__gt=now)
    alerts_of_this_target = AgentAlert.objects.filter(
        ticket_id=OuterRef("pk"), kind=Kind.AT_RISK, once_key=at_risk_key_expression()
    )
    assigned = list(
        at_risk.filter(assignee__isnull=False)
        .exclude(Exists(alerts_of_this_target.filter(recipient_id=OuterRef("assignee_id"))))
        .select_related("assignee")
        .order_by("sla_at_risk_at", "pk")[:batch]
    )
    for ticket in assigned:
        _alert_at_risk(ticket, [ticket.assignee])
    unassigned = list(
        at_risk.filter(assignee__isnull=True)
        .exclude(Exists(alerts_of_this_target))
        .order_by("sla_at_risk_at", "pk")[:batch]
    )
    serving: dict[int, list] = {}
    for ticket in unassigned:
        if ticket.queue_id not in serving:
            serving[ticket.queue_id] = list(agents_serving(ticket.queue))
        _alert_at_risk(ticket, serving[ticket.queue_id], unassigned=True)
    return len(assigned) + len(unassigned)


def _alert_at_risk(ticket: Ticket, recipients: list, *, unassigned: bool = False) -> None:
    target = "resolution" if ticket.first_responded_at else "first_response"
    data = {"target": target, "due_at": ticket.sla_due_at.isoformat()}
    alert(
        recipients,
        Kind.AT_RISK,
        ticket=ticket,
        data={**data, "unassigned": True} if unassigned else data,
        once_key=target,
    )


def ticket_opened(ticket: Ticket, *, by) -> int:
    """The agent opened the ticket: what its alerts pointed at is read. Asks nothing when the
    count read with the signed-in user (helpdesk.staff_backend) says no alert is unread."""
    if getattr(by, "unread_alert_count", None) == 0:
        return 0
    read = AgentAlert.objects.for_recipient(by).filter(ticket=ticket).mark_read()
    if read and hasattr(by, "unread_alert_count"):
        by.unread_alert_count = max(by.unread_alert_count - read, 0)  # the navigation's number
    return read


def prune_read_alerts(now: datetime | None = None) -> int:
    """Scheduled daily: read alerts older than AGENT_ALERTS_KEEP_READ_DAYS are deleted. An
    at-risk alert stays while its ticket's SLA target is still ahead: its key is what stops the
    scan from telling the agent again."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AGENT_ALERTS_KEEP_READ_DAYS)
    old = AgentAlert.objects.filter(read_at__lt=cutoff).exclude(~Q(once_key=""), ticket__sla_due_at__gt=now)
    deleted, _by_model = old.delete()
    return deleted


def at_risk_key_expression():
    """The SLA target a ticket runs against now, as the key of its at-risk alert."""
    from django.db.models import Case, Value, When
    from django.db.models.lookups import IsNull

    return Case(
        When(IsNull(OuterRef("first_responded_at"), True), then=Value("first_response")),
        default=Value("resolution"),
    )


def agents_serving(queue: Queue):
    """The active agents and managers who work `queue`: its members, and those in no queue."""
    memberships = Queue.members.through.objects.filter(user=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=[AGENTS, MANAGERS]) | Q(is_superuser=True))
        .filter(Exists(memberships.filter(queue=queue)) | ~Exists(memberships))
        .distinct()
    )


def alert(
    recipients: Iterable,
    kind: str,
    *,
    ticket: Ticket | None = None,
    actor=None,
    data: dict | None = None,
    once_key: str = "",
) -> list[AgentAlert]:
    """Write one alert per recipient, and the emails of those who asked for this kind."""
    rows = [
        AgentAlert(recipient=user, kind=kind, ticket=ticket, actor=actor, data=data or {}, once_key=once_key)
        for user in recipients
    ]
    if once_key:
        rows = [row for row in rows if written_once(row)]
    elif rows:
        AgentAlert.objects.bulk_create(rows)
    for row in rows:  # the count in their navigation
        live.publish(f"agent:{row.recipient_id}", "alert")
    email_alerts(rows)
    return rows


def written_once(row: AgentAlert) -> bool:
    """Saved unless its key was written already (by an earlier or a simultaneous scan)."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return False
    return True


def email_alerts(rows: list[AgentAlert]) -> None:
    if not rows:
        return
    choices = dict(
        StaffProfile.objects.filter(user_id__in=[row.recipient_id for row in rows]).values_list(
            "user_id", "alert_emails"
        )
    )
    for row in rows:
        wanted = choices.get(row.recipient_id, StaffProfile.default_alert_emails())
        if row.kind in wanted and row.recipient.email:
            email_alert(row)


def email_alert(row: AgentAlert) -> Notification:
    from helpdesk.mail import outbox

    language = staff_language(row.recipient)
    ticket_url = settings.SITE_URL + row.ticket.get_absolute_url() if row.ticket_id else ""
    return outbox.write_to_address(
        kind=Notification.Kind.AGENT_ALERT,
        to_email=row.recipient.email,
        language=language,
        template="agent_alert",
        context={
            "alert": row,
            "name": staff_name(row.recipient),
            "actor_name": staff_name(row.actor) if row.actor_id else "",
            "ticket": row.ticket,
            "ticket_url": ticket_url,
            "alerts_url": settings.SITE_URL + reverse("helpdesk:agent-alerts"),
            "settings_url": settings.SITE_URL + reverse("helpdesk:agent-alert-settings"),
        },
        message_tag="alert",
    )
