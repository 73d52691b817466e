"""When a customer in line can expect a first answer: position, the queue's pace, opening hours.

The database answers the questions (a ticket's position is an indexed count, a queue's recent
pace one aggregate per queue, measured by the worker); what is left here is arithmetic on those
values and the business calendar. Two promises to the customer:

- never earlier than we can deliver: the calendar decides, so a request sent on Friday evening
  is not "answered in 20 minutes" but after Monday's opening, and times are rounded *up*;
- no false precision: a range from a measured pace, a wider one from the default pace when the
  history is too short to trust. When the pace says later than the SLA target, we say the later
  time: the estimate is what we believe, not what we promised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from helpdesk.business_time import Calendar
from helpdesk.models import Queue, Ticket
from helpdesk.queue import line

ROUND_TO = timedelta(minutes=15)

# The pace window: first answers over the queue's last ten business days.
PACE_WINDOW_DAYS = 10
# Fewer first answers than this in the window is too little history to trust.
PACE_MIN_SAMPLE = 20
# A measurement older than this (the worker stopped) is not trusted either.
PACE_STALE_AFTER = timedelta(days=1)

# The range around the expected time: narrow from a measured pace, wide from the default pace.
SPREAD_MEASURED = (0.8, 1.25)
SPREAD_DEFAULT = (0.5, 2.0)


class Progress:
    """Where a ticket stands from the customer's point of view."""

    IN_LINE = "in_line"  # waiting for an agent to take it: has a position and an estimate
    WITH_AGENT = "with_agent"  # an agent took it and is preparing the first answer
    ANSWERED = "answered"  # answered (or waiting on the customer): no position any more
    CLOSED = "closed"  # resolved or closed


@dataclass(frozen=True)
class Pace:
    per_hour: float  # first answers per business hour
    is_measured: bool  # False: the configured default, used when history is short

    @property
    def spread(self) -> tuple[float, float]:
        return SPREAD_MEASURED if self.is_measured else SPREAD_DEFAULT


@dataclass(frozen=True)
class WaitRange:
    earliest: datetime
    latest: datetime


@dataclass(frozen=True)
class Estimate:
    progress: str
    now: datetime
    position: int | None = None
    wait: WaitRange | None = None
    is_rough: bool = False  # from the default pace: shown as a wider range

    @property
    def ahead(self) -> int | None:
        return self.position - 1 if self.position else None


# --- pure arithmetic ----------------------------------------------------------------------


def round_up(moment: datetime, step: timedelta = ROUND_TO) -> datetime:
    seconds = step.total_seconds()
    remainder = (moment.timestamp() % seconds) if seconds else 0
    return moment + timedelta(seconds=seconds - remainder) if remainder else moment


def round_up_within_hours(calendar: Calendar, moment: datetime) -> datetime:
    """`moment` rounded up to the quarter hour, without landing in closed time.

    16:45 in a queue closing at 16:50 would round to 17:00, a time when nobody answers; the
    honest rounded time is then the next opening (rounded up as well).
    """
    rounded = round_up(moment)
    for _attempt in range(3):
        if rounded == moment or calendar.is_open(rounded - timedelta(microseconds=1)):
            return rounded
        moment = calendar.next_opening(rounded) or rounded
        rounded = round_up(moment)
    return rounded


def wait_range(*, position: int, pace: Pace, calendar: Calendar, now: datetime) -> WaitRange:
    """From now, the business time the queue needs to answer `position` tickets at its pace."""
    work = timedelta(hours=position / pace.per_hour)
    low, high = pace.spread
    # A zero duration still gives the next opening: nothing happens while we are closed.
    earliest = round_up_within_hours(calendar, calendar.add(now, work * low))
    latest = round_up_within_hours(calendar, calendar.add(now, work * high))
    return WaitRange(earliest=earliest, latest=max(earliest, latest))


def pace_window_start(calendar: Calendar, now: datetime, days: int = PACE_WINDOW_DAYS) -> datetime:
    """The start of the earliest of the last `days` business days with opening hours."""
    seen: set = set()
    start = now
    for interval_start, _end in calendar.intervals_before(now):
        day = interval_start.astimezone(calendar.tz).date()
        if day not in seen and len(seen) == days:
            break
        seen.add(day)
        start = interval_start
    return start


def default_pace() -> Pace:
    return Pace(per_hour=float(settings.QUEUE_DEFAULT_PACE_PER_HOUR), is_measured=False)


def pace_of(queue: Queue, now: datetime) -> Pace:
    """The pace the worker measured, when there is enough fresh history; else the default."""
    fresh = queue.pace_measured_at is not None and now - queue.pace_measured_at <= PACE_STALE_AFTER
    if fresh and queue.pace_sample >= PACE_MIN_SAMPLE and queue.pace_per_hour:
        return Pace(per_hour=queue.pace_per_hour, is_measured=True)
    return default_pace()


# --- asking the database ------------------------------------------------------------------


def estimate(ticket: Ticket, *, now: datetime | None = None) -> Estimate:
    """Position and expected first answer of one ticket (one indexed count when in line)."""
    now = now or timezone.now()
    if not ticket.is_open:
        return Estimate(progress=Progress.CLOSED, now=now)
    if ticket.first_responded_at or ticket.merged_into_id or ticket.status == Ticket.Status.WAITING:
        return Estimate(progress=Progress.ANSWERED, now=now)
    if ticket.assignee_id:
        return Estimate(progress=Progress.WITH_AGENT, now=now)
    position = line.position(ticket)
    if position is None:
        return Estimate(progress=Progress.ANSWERED, now=now)
    pace = pace_of(ticket.queue, now)
    wait = wait_range(position=position, pace=pace, calendar=ticket.queue.calendar.calendar, now=now)
    return Estimate(
        progress=Progress.IN_LINE, now=now, position=position, wait=wait, is_rough=not pace.is_measured
    )


def measure_pace(queue: Queue, now: datetime) -> tuple[float | None, int]:
    """First answers per business hour over the queue's recent window, and how many there were."""
    calendar = queue.calendar.calendar
    start = pace_window_start(calendar, now)
    hours = calendar.between(start, now) / timedelta(hours=1)
    sample = Ticket.objects.filter(
        queue=queue, first_responded_at__gte=start, first_responded_at__lte=now
    ).count()
    return (sample / hours if hours else None), sample


def measure_queue_paces(now: datetime | None = None) -> int:
    """Measure and store every queue's pace (the worker's job, never a page view's)."""
    now = now or timezone.now()
    queues = list(
        Queue.objects.select_related("calendar").prefetch_related(
            "calendar__opening_hours", "calendar__closures"
        )
    )
    for queue in queues:
        queue.pace_per_hour, queue.pace_sample = measure_pace(queue, now)
        queue.pace_measured_at = now
    Queue.objects.bulk_update(queues, ["pace_per_hour", "pace_sample", "pace_measured_at"])
    return len(queues)
