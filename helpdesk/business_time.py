"""Business time: opening hours, public holidays and closures, in a calendar's own time zone.

Pure functions over plain values (no database), so SLA due times, wait estimates and the
channel directory all compute "when are we open" the same way and can be tested directly.
All arithmetic is done on aware datetimes; local opening hours are turned into UTC instants
per day, so a daylight-saving change shortens or lengthens that day's hours as it should.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Far enough to cross a long holiday season; a calendar with no opening hours at all stops here.
SEARCH_DAYS = 400

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Calendar:
    """When a queue is open.

    weekly: weekday (Monday=0) -> list of (opens, closes) local times; closes 00:00 is midnight.
    is_holiday: a date -> bool for public holidays (closed all day).
    extra_working_days: weekend dates that are working days (Hungarian bridge Saturdays); they
        get `extra_day_hours`, the hours of an ordinary working day.
    closures: (start, end) aware datetimes when the queue is closed (training, a move).
    """

    tz: ZoneInfo
    weekly: dict[int, list[tuple[time, time]]]
    is_holiday: Callable[[date], bool] = lambda day: False
    extra_working_days: frozenset[date] = field(default_factory=frozenset)
    extra_day_hours: list[tuple[time, time]] = field(default_factory=list)
    closures: tuple[Interval, ...] = ()

    def hours_on(self, day: date) -> list[tuple[time, time]]:
        if day in self.extra_working_days:
            return self.extra_day_hours
        if self.is_holiday(day):
            return []
        return self.weekly.get(day.weekday(), [])

    def intervals_on(self, day: date) -> list[Interval]:
        """Open intervals of one local day, as UTC instants, with closures cut out."""
        intervals = []
        for opens, closes in self.hours_on(day):
            start = datetime.combine(day, opens, tzinfo=self.tz).astimezone(UTC)
            # Closing at 00:00 means midnight at the end of the day (a desk open until midnight).
            closing_day = day + timedelta(days=1) if closes == time(0) else day
            end = datetime.combine(closing_day, closes, tzinfo=self.tz).astimezone(UTC)
            if end > start:
                intervals.extend(_subtract(start, end, self.closures))
        return intervals

    def intervals_from(self, moment: datetime) -> Iterator[Interval]:
        """Open intervals from `moment` on (the first one clipped to start at `moment`)."""
        moment = moment.astimezone(UTC)
        day = moment.astimezone(self.tz).date()
        for offset in range(SEARCH_DAYS):
            for start, end in self.intervals_on(day + timedelta(days=offset)):
                if end > moment:
                    yield max(start, moment), end

    def is_open(self, moment: datetime) -> bool:
        first = next(self.intervals_from(moment), None)
        return first is not None and first[0] == moment.astimezone(UTC)

    def next_opening(self, moment: datetime) -> datetime | None:
        """`moment` itself when open, else the start of the next open interval."""
        first = next(self.intervals_from(moment), None)
        return first[0] if first else None

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when `duration` of open time has passed after `start`."""
        remaining = duration
        last_end = None
        for interval_start, interval_end in self.intervals_from(start):
            available = interval_end - interval_start
            if remaining <= available:
                return interval_start + remaining
            remaining -= available
            last_end = interval_end
        raise ValueError(f"calendar has no open time within {SEARCH_DAYS} days after {last_end or start}")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Open time between two instants (negative when end is before start)."""
        if end < start:
            return -self.between(end, start)
        total = timedelta()
        for interval_start, interval_end in self.intervals_from(start):
            if interval_start >= end:
                break
            total += min(interval_end, end) - interval_start
        return total

    def resume_due(self, due: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
        """A due time moved on by a pause: the open time that was left at the pause is kept.

        A target already missed when the pause began stays missed.
        """
        if due <= paused_at:
            return due
        return self.add(resumed_at, self.between(paused_at, due))


def _subtract(start: datetime, end: datetime, closures: Iterable[Interval]) -> list[Interval]:
    pieces = [(start, end)]
    for closed_from, closed_until in closures:
        next_pieces = []
        for piece_start, piece_end in pieces:
            if closed_until <= piece_start or closed_from >= piece_end:
                next_pieces.append((piece_start, piece_end))
                continue
            if closed_from > piece_start:
                next_pieces.append((piece_start, closed_from))
            if closed_until < piece_end:
                next_pieces.append((closed_until, piece_end))
        pieces = next_pieces
    return pieces
