"""The line: positions, take-next and the SLA scan, all computed by the database.

The order itself is defined once, in helpdesk.models.queue_place; this module only asks the
database questions in that order.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from helpdesk.models import Channel, Queue, StaffProfile, Ticket
from helpdesk.models.queue_place import SLA_CLOCK_RUNNING, SlaBand, queue_key_expression


class NotAvailable(Exception):
    """The agent is away or on a break, so take-next gives them nothing."""


def position(ticket: Ticket) -> int | None:
    """1 for the next ticket to be taken in its queue; None once taken or answered."""
    if not ticket.is_in_line:
        return None
    return Ticket.objects.ahead_of(ticket).count() + 1


def queues_served_by(agent):
    """The queues an agent is a member of; an agent in no queue serves them all.

    One condition rather than a first query asking whether the agent is in any queue.
    """
    membership = Queue.members.through.objects.filter(user=agent)
    return Queue.objects.filter(Exists(membership.filter(queue=OuterRef("pk"))) | ~Exists(membership))


def queues_followed_by(agent):
    """The queues whose changes an agent's pages may follow by push: those they serve (their queue
    page's) and those they manage."""
    return queues_served_by(agent) | Queue.objects.filter(manager=agent)


def queues_managed_by(manager):
    """The queues whose manager this is; a manager of no queue oversees them all (a head of
    service, or a stand-in), so no escalation is ever left without someone who sees it."""
    mine = Queue.objects.filter(manager=manager)
    return mine if mine.exists() else Queue.objects.all()


def take_next(agent, *, queues=None, channel: str = "") -> Ticket | None:
    """Assign the first ticket in line to the agent; None when the line is empty.

    Two agents pressing the button at the same moment never get the same ticket: the row is
    locked, and rows another transaction holds are skipped rather than waited for. `channel`
    limits the line to one channel (a branch desk calls only walk-in visitors); without it,
    walk-in visitors are left to the desks: someone standing in a lobby is called to a desk,
    not taken from a screen elsewhere.
    """
    if not StaffProfile.objects.for_user(agent).is_available():
        raise NotAvailable
    candidates = Ticket.objects.in_line().filter(
        queue__in=queues if queues is not None else queues_served_by(agent)
    )
    if channel:
        candidates = candidates.filter(channel=channel)
    else:
        candidates = candidates.exclude(channel=Channel.WALK_IN)
    with transaction.atomic():
        locked = candidates.in_queue_order()
        if connection.features.has_select_for_update_skip_locked:
            locked = locked.select_for_update(skip_locked=True, of=("self",))
        ticket = locked.first()
        if ticket is None:
            return None
        ticket.assign(agent, by=agent)
    return ticket


def refresh_sla_bands(now=None) -> list[int]:
    """Move tickets into "at risk" and "breached" as time passes; returns the newly breached ids.

    Set-based: two UPDATEs on the indexed SLA clock, whatever the number of tickets.
    """
    now = now or timezone.now()
    running = Ticket.objects.filter(SLA_CLOCK_RUNNING)
    with transaction.atomic():
        # Locked, so that of two scans running at once only one reports a ticket as newly
        # breached; rows a request is changing right now are left for the next minute.
        due = running.filter(sla_due_at__lte=now, sla_band__lt=SlaBand.BREACHED).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        newly_breached = list(due.values_list("pk", flat=True))
        running.filter(pk__in=newly_breached).update(
            sla_band=SlaBand.BREACHED, queue_key=queue_key_expression(SlaBand.BREACHED)
        )
        running.filter(sla_at_risk_at__lte=now, sla_due_at__gt=now, sla_band__lt=SlaBand.AT_RISK).update(
            sla_band=SlaBand.AT_RISK, queue_key=queue_key_expression(SlaBand.AT_RISK)
        )
    return newly_breached
