"""Walk-in visits: checking a visitor in at the front desk and calling the next one to a desk.

The order of service is the one queue order (helpdesk.models.queue_place): a visitor's ticket
waits in their line's queue, and "call next" is take-next limited to the desk's lines. The lobby
screen is helpdesk.walk_in.lobby.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import intake
from helpdesk.models import (
    Branch,
    BranchService,
    Category,
    Channel,
    Desk,
    InvalidTransition,
    NumberCounter,
    Visit,
)
from helpdesk.models.queue_place import IN_LINE
from helpdesk.queue import line


def ticket_in_line(prefix: str = "ticket") -> Q:
    """IN_LINE (the customer's line) for a query that reaches the ticket through `prefix`."""
    return Q(*[(f"{prefix}__{field}", value) for field, value in IN_LINE.children])


# --- the front desk ----------------------------------------------------------------------


def check_in(
    *,
    service: BranchService,
    name: str,
    need: str = "",
    category: Category | None = None,
    phone: str = "",
    email: str = "",
    language: str = "en",
    by,
) -> Visit:
    """A visitor arrives: their request becomes a walk-in ticket in the line's queue and they
    get the next number of the day for that line."""
    branch = service.branch
    body = need.strip() or (category.name if category else "")
    with transaction.atomic():
        ticket = intake.receive(
            channel=Channel.WALK_IN,
            identity_verified=True,  # the visitor stands at the desk
            subject="",
            body=body,
            name=name,
            email=email,
            phone=phone,
            language=language,
            category=category,
            queue=service.queue,
            by=by,
        )
        day = branch.local_today(ticket.created_at)
        number = NumberCounter.next_number(branch=branch, letter=service.letter, day=day)
        return Visit.objects.create(
            ticket=ticket,
            branch=branch,
            service=service,
            day=day,
            letter=service.letter,
            number=number,
            checked_in_at=ticket.created_at,
        )


def waiting_visits(branch: Branch, *, services=None):
    """Today's visitors still in line at a branch, in the one queue order (by the database)."""
    visits = Visit.objects.filter(
        ticket_in_line(), branch=branch, state=Visit.State.WAITING, day=branch.local_today()
    )
    if services is not None:
        visits = visits.filter(service__in=services)
    return visits.order_by("ticket__queue_key", "ticket_id")


def end_earlier_days(branch: Branch, *, by=None) -> int:
    """Visitors of an earlier day still "waiting" went home long ago: their turn ends.

    Called before a desk calls the next visitor, so yesterday's numbers are never called.
    """
    stale = Visit.objects.filter(
        branch=branch, state=Visit.State.WAITING, day__lt=branch.local_today()
    ).select_related("ticket")
    ended = 0
    for visit in stale:
        visit.expire(by=by)
        ended += 1
    return ended


@dataclass(frozen=True)
class DayFigures:
    waiting: int
    served: int
    no_shows: int
    average_wait: timedelta | None  # from check-in to the call, of those called today


def todays_figures(branches) -> dict[int, DayFigures]:
    """Per branch, today's visitors: waiting, served, no-shows and the average wait (one query)."""
    called = Q(called_at__isnull=False)
    rows = (
        Visit.objects.filter(branch__in=branches, day=timezone.localdate())
        .values("branch")
        .annotate(
            waiting=Count("pk", filter=Q(state=Visit.State.WAITING)),
            served=Count("pk", filter=Q(state=Visit.State.SERVED)),
            no_shows=Count("pk", filter=Q(state=Visit.State.NO_SHOW)),
            average_wait=Avg(F("called_at") - F("checked_in_at"), filter=called),
        )
        .order_by()
    )
    return {
        row["branch"]: DayFigures(row["waiting"], row["served"], row["no_shows"], row["average_wait"])
        for row in rows
    }


# --- the desk ------------------------------------------------------------------------------


def call_next(desk: Desk, *, agent) -> Visit | None:
    """Take the first visitor in line of the desk's lines and call them to this desk.

    take-next locks the ticket (FOR UPDATE SKIP LOCKED) inside this transaction, so two desks
    pressing "call next" at once call two different visitors. Raises helpdesk.queue.line.NotAvailable for
    an agent on a break.
    """
    if desk.agent_id != agent.pk:
        raise InvalidTransition(_("Sit down at this desk before calling visitors."))
    if Visit.objects.filter(desk=desk, state=Visit.State.CALLED).exists():
        raise InvalidTransition(_("Finish with the visitor at your desk first."))
    end_earlier_days(desk.branch, by=agent)
    with transaction.atomic():
        ticket = line.take_next(agent, queues=desk.line_queues(), channel=Channel.WALK_IN)
        if ticket is None:
            return None
        visit = Visit.objects.select_related("ticket").get(ticket=ticket)
        visit.called_to(desk, by=agent)
    return visit
