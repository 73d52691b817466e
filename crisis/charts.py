"""Server-side SVG charts: readable without JavaScript, printable, nothing from a CDN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

WIDTH, HEIGHT, GAP = 720, 160, 2
MAX_HOURS = 72


@dataclass(frozen=True)
class Bar:
    hour: datetime
    count: int
    x: float
    y: float
    width: float
    height: float


def hourly_bars(counts: dict[datetime, int], *, start: datetime, end: datetime) -> list[Bar]:
    """One bar per hour from start to end (the last MAX_HOURS), scaled to the highest count.

    `counts` comes from the database already grouped by hour; this only places the bars.
    """
    end_hour = end.replace(minute=0, second=0, microsecond=0)
    start_hour = max(
        start.replace(minute=0, second=0, microsecond=0), end_hour - timedelta(hours=MAX_HOURS - 1)
    )
    hours = []
    hour = start_hour
    while hour <= end_hour:
        hours.append(hour)
        hour += timedelta(hours=1)
    highest = max([counts.get(hour, 0) for hour in hours] + [1])
    width = WIDTH / len(hours)
    bars = []
    for index, hour in enumerate(hours):
        count = counts.get(hour, 0)
        height = (HEIGHT - 20) * count / highest
        bars.append(
            Bar(timezone.localtime(hour), count, index * width, HEIGHT - height, max(width - GAP, 1), height)
        )
    return bars
