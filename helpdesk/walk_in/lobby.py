"""The lobby screen of a branch: the numbers at the desks, the next ones, and each line's wait.

The waiting numbers are listed in the database's queue order (helpdesk.walk_in.visits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from helpdesk.models import Branch, BranchService, Ticket, Visit
from helpdesk.queue import estimates
from helpdesk.walk_in.visits import waiting_visits

# The lobby screen changes language every so many seconds when the branch rotates them.
ROTATE_SECONDS = 12
# A number called (or called again) this recently is highlighted on the lobby screen.
HIGHLIGHT_SECONDS = 30
AT_DESKS_SHOWN = 8
NEXT_SHOWN = 10


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
