"""Bar charts drawn on the server as SVG: readable without JavaScript, printable, no library.

`bar_chart` turns a short series (a theme's days, an incident's hours) into bars with their
positions; templates/includes/bar_chart.html draws them, and the page gives the same figures
as a table to screen readers and to anyone who wants the numbers. Shared by the apps that use
the helpdesk (feedback's theme trends, crisis's reports per hour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import pgettext

WIDTH, HEIGHT = 640, 180
TOP, BOTTOM, LEFT = 12, 28, 32


def day_label(day: date) -> str:
    """A day under a bar, short, in the reader's order: 4 Dec, dec 4., 4 gru."""
    return formats.date_format(day, pgettext("chart day", "j M"))


def hour_label(moment: datetime) -> str:
    """An hour under a bar, in the site's time zone: 4 Dec 14:00."""
    return formats.date_format(timezone.localtime(moment), pgettext("chart hour", "j M H:i"))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    show_label: bool


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    maximum: int
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT
    top: int = TOP


def bar_chart(points: Sequence[tuple[str, int]]) -> BarChart:
    maximum = max((value for _label, value in points), default=0) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(points), 1)
    # Every label would overlap on 30 days or 72 hours: show about eight of them.
    label_every = max(1, round(len(points) / 8))
    bars = []
    for index, (label, value) in enumerate(points):
        height = plot_height * value / maximum
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value=value,
                show_label=index % label_every == 0,
            )
        )
    return BarChart(bars=bars, maximum=maximum)
