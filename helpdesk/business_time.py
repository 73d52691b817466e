"""Business time: opening hours, public holidays and closures, in a calendar's own time zone.

Pure functions over plain values (no database), so SLA due times, wait estimates and the
channel directory all compute "when are we open" the same way and can be tested directly.
All arithmetic is done on aware datetimes; local opening hours are turned into UTC instants
per day, so a daylight-saving change shortens or lengthens that day's hours as it should.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Far enough to cross a long holiday season; a calendar with no opening hours at all stops here.
SEARCH_DAYS = 400

Interval = tuple[datetime, datetime]
Hours = list[tuple[time, time]]


def _never(day: date) -> bool:
    return False


def _unknown(day: date) -> date | None:
    return None


@dataclass(frozen=True)
class OpeningState:
    """Whether a calendar is open at a moment, and until or from when (UTC instants)."""

    is_open: bool
    closes_at: datetime | None  # the end of the current opening, when open
    next_opening: datetime | None  # the start of the next opening, when closed


@dataclass(frozen=True)
class Calendar:
    """When a queue is open.

    weekly: weekday (Monday=0) -> list of (opens, closes) local times; closes 00:00 is midnight.
    is_holiday: a date -> bool for public holidays (closed all day).
    extra_working_days: weekend dates that are working days (Hungarian bridge Saturdays).
    replaced_day: for such a working day, the day off it pays for (the Friday next to a holiday).

    A bridge working Saturday is worked instead of the day off it pays for, so it keeps that
    day's weekly hours: Saturday 8 August 2026 is worked as Friday 21 August 2026, with Friday's
    hours, even when the queue also has (shorter) ordinary Saturday hours. When that day is
    unknown, `extra_day_hours` apply, or else the hours of the first weekday that has any.

    closures: (start, end) aware datetimes when the queue is closed (training, a move).
    """

    tz: ZoneInfo
    weekly: dict[int, Hours]
    is_holiday: Callable[[date], bool] = _never
    extra_working_days: Container[date] = field(default_factory=frozenset)
    extra_day_hours: Hours = field(default_factory=list)
    replaced_day: Callable[[date], date | None] = _unknown
    closures: tuple[Interval, ...] = ()

    def hours_on(self, day: date) -> Hours:
        """Local opening hours of one day, before closures are cut out."""
        if day in self.extra_working_days:
            return self._bridge_day_hours(day)
        if self.is_holiday(day):
            return []
        return sorted(self.weekly.get(day.weekday(), []))

    def _bridge_day_hours(self, day: date) -> Hours:
        replaced = self.replaced_day(day)
        if replaced is not None and self.weekly.get(replaced.weekday()):
            return sorted(self.weekly[replaced.weekday()])
        if self.extra_day_hours:
            return sorted(self.extra_day_hours)
        return next((sorted(self.weekly[weekday]) for weekday in range(5) if self.weekly.get(weekday)), [])

    def intervals_on(self, day: date) -> list[Interval]:
        """Open intervals of one local day, as UTC instants, merged, with closures cut out."""
        merged: list[Interval] = []
        for opens, closes in self.hours_on(day):
            start = datetime.combine(day, opens, tzinfo=self.tz).astimezone(UTC)
            # Closing at 00:00 means midnight at the end of the day (a desk open until midnight).
            closing_day = day + timedelta(days=1) if closes == time(0) else day
            end = datetime.combine(closing_day, closes, tzinfo=self.tz).astimezone(UTC)
            if end <= start:
                continue
            # Overlapping or touching hours (09-12 and 12-17) count once, as one opening.
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        intervals: list[Interval] = []
        for start, end in merged:
            intervals.extend(_subtract(start, end, self.closures))
        return intervals

    def local_intervals_on(self, day: date) -> list[Interval]:
        """The open intervals of one day in the calendar's local time (for display)."""
        return [(start.astimezone(self.tz), end.astimezone(self.tz)) for start, end in self.intervals_on(day)]

    def intervals_from(self, moment: datetime, *, days: int = SEARCH_DAYS) -> Iterator[Interval]:
        """Open intervals from `moment` on (the first one clipped to start at `moment`)."""
        moment = _utc(moment)
        day = moment.astimezone(self.tz).date()
        for offset in range(days):
            for start, end in self.intervals_on(day + timedelta(days=offset)):
                if end > moment:
                    yield max(start, moment), end

    def state_at(self, moment: datetime) -> OpeningState:
        first = next(self.intervals_from(moment), None)
        if first is not None and first[0] == _utc(moment):
            return OpeningState(is_open=True, closes_at=first[1], next_opening=None)
        return OpeningState(is_open=False, closes_at=None, next_opening=first[0] if first else None)

    def is_open(self, moment: datetime) -> bool:
        return self.state_at(moment).is_open

    def next_opening(self, moment: datetime) -> datetime | None:
        """`moment` itself when open, else the start of the next open interval."""
        first = next(self.intervals_from(moment), None)
        return first[0] if first else None

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when `duration` of open time has passed after `start`.

        A zero duration gives the next opening (or `start` itself when open).
        """
        if duration < timedelta(0):
            raise ValueError("business time cannot be added backwards")
        remaining = duration
        for interval_start, interval_end in self.intervals_from(start):
            available = interval_end - interval_start
            if remaining <= available:
                return interval_start + remaining
            remaining -= available
        raise ValueError(f"calendar has no open time within {SEARCH_DAYS} days after {start}")

    def intervals_before(self, moment: datetime, *, days: int = SEARCH_DAYS) -> Iterator[Interval]:
        """Open intervals before `moment`, latest first (the first one clipped to end at `moment`)."""
        moment = _utc(moment)
        day = moment.astimezone(self.tz).date()
        for offset in range(days):
            for start, end in reversed(self.intervals_on(day - timedelta(days=offset))):
                if start < moment:
                    yield start, min(end, moment)

    def subtract(self, end: datetime, duration: timedelta) -> datetime:
        """The instant that lies `duration` of open time before `end` (the inverse of `add`)."""
        if duration < timedelta(0):
            raise ValueError("business time cannot be subtracted backwards")
        remaining = duration
        for interval_start, interval_end in self.intervals_before(end):
            available = interval_end - interval_start
            if remaining <= available:
                return interval_end - remaining
            remaining -= available
        raise ValueError(f"calendar has no open time within {SEARCH_DAYS} days before {end}")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Open time between two instants (negative when end is before start)."""
        if end < start:
            return -self.between(end, start)
        start, end = _utc(start), _utc(end)
        days = (end.astimezone(self.tz).date() - start.astimezone(self.tz).date()).days + 1
        total = timedelta()
        for interval_start, interval_end in self.intervals_from(start, days=days):
            if interval_start >= end:
                break
            total += min(interval_end, end) - interval_start
        return total

    def resume_due(self, due: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
        """A due time moved on by a pause: the open time that was left at the pause is kept.

        A target already missed when the pause began stays missed (its due time is unchanged).
        """
        if due <= paused_at:
            return due
        return self.add(max(resumed_at, paused_at), self.between(paused_at, due))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("business time needs an aware datetime")
    return moment.astimezone(UTC)


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
