"""Walk-in service: checking a visitor in, calling the next one to a desk, and the lobby board.

The order of service is the one queue order (helpdesk.models.queue_place): a visitor's ticket
waits in their line's queue, "call next" is take-next limited to the desk's lines, and the
lobby screen lists the waiting numbers in the database's queue order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Avg, Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
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
    Ticket,
    Visit,
)
from helpdesk.models.queue_place import IN_LINE
from helpdesk.queue import estimates, line

# The lobby screen changes language every so many seconds when the branch rotates them.
ROTATE_SECONDS = 12
# A number called (or called again) this recently is highlighted on the lobby screen.
HIGHLIGHT_SECONDS = 30
AT_DESKS_SHOWN = 8
NEXT_SHOWN = 10


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


# --- the lobby screen ------------------------------------------------------------------------


@dataclass(frozen=True)
class LineWait:
    """What a new arrival in one line can expect."""

    service: BranchService
    waiting: int
    minutes_low: int | None  # None: closed now, or no estimate
    minutes_high: int | None


@dataclass(frozen=True)
class Board:
    branch: Branch
    language: str
    at_desks: list[Visit]
    next_up: list[Visit]
    lines: list[LineWait]
    is_open: bool
    next_opening: datetime | None
    fresh: frozenset[int]  # visits called or called again in the last few seconds: highlighted


def lobby_language(branch: Branch, now: datetime) -> str:
    """The language the screen shows now: fixed per branch, or the next one every few seconds."""
    languages = branch.lobby_languages
    return languages[int(now.timestamp() // ROTATE_SECONDS) % len(languages)]


def lobby_branch(slug: str) -> Branch:
    return (
        Branch.objects.select_related("calendar")
        .prefetch_related("calendar__opening_hours", "calendar__closures")
        .get(slug=slug, is_active=True)
    )


def board(branch: Branch, *, now: datetime | None = None) -> Board:
    """Everything the lobby screen shows, in a fixed number of queries whatever the crowd."""
    now = now or timezone.now()
    state = branch.calendar.state_at(now)
    at_desks = list(Visit.objects.at_desks(branch).filter(day=branch.local_today(now))[:AT_DESKS_SHOWN])
    next_up = list(waiting_visits(branch)[:NEXT_SHOWN])
    recent = now - timedelta(seconds=HIGHLIGHT_SECONDS)
    fresh = frozenset(visit.pk for visit in at_desks if (visit.recalled_at or visit.called_at) >= recent)
    return Board(
        branch=branch,
        language=lobby_language(branch, now),
        at_desks=at_desks,
        next_up=next_up,
        lines=line_waits(branch, now=now, is_open=state.is_open),
        is_open=state.is_open,
        next_opening=state.next_opening,
        fresh=fresh,
    )


def line_waits(branch: Branch, *, now: datetime, is_open: bool) -> list[LineWait]:
    """Per line: how many wait, and how long a new arrival can expect to wait (minutes).

    The count is one correlated count over the queue's line index per service; the wait is
    the queue's measured pace over the business calendar (helpdesk.queue.estimates).
    """
    in_line = (
        Ticket.objects.in_line()
        .filter(queue=OuterRef("queue"))
        .order_by()
        .values("queue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    services = (
        BranchService.objects.filter(branch=branch)
        .select_related("queue__calendar")
        .prefetch_related("queue__calendar__opening_hours", "queue__calendar__closures")
        .annotate(waiting=Coalesce(Subquery(in_line), 0))
    )
    lines = []
    for service in services:
        low = high = None
        if is_open:
            wait = estimates.wait_range(
                position=service.waiting + 1,
                pace=estimates.pace_of(service.queue, now),
                calendar=service.queue.calendar.calendar,
                now=now,
            )
            low, high = _minutes(wait.earliest - now), _minutes(wait.latest - now)
        lines.append(LineWait(service=service, waiting=service.waiting, minutes_low=low, minutes_high=high))
    return lines


def _minutes(span: timedelta) -> int:
    # Rounded up to five minutes: never promise a shorter wait than we expect.
    return max(5, 5 * math.ceil(span.total_seconds() / 300))
