"""The dashboard's charts: which figure each shows, and its geometry as server-side SVG.

A chart is drawn from the rows of one feedback.dashboard.metrics function. The geometry (bar positions,
axis ticks) is computed here so the template only places what it is given; the same rows give
the chart's text alternative (a table) and its CSV download.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from feedback.dashboard import metrics
from helpdesk.charts import day_label
from helpdesk.models import Channel

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 60, 12, 16, 56
COLOURS = ("#0b5ed7", "#b35c00")  # both at least 3:1 against white (WCAG 1.4.11)


@dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    description: str
    rows: Callable[[metrics.Scope], list[dict]]
    label: Callable[[dict], str]
    series: tuple[Series, ...]
    maximum: float | None  # a fixed top of the scale (5 for ratings, 100 for shares), or the data's
    unit: str = ""
    csv_columns: tuple[tuple[str, str], ...] = ()


def week_label(row: dict) -> str:
    return day_label(row["week"]) if row.get("week") else ""


def channel_label(row: dict) -> str:
    return (
        str(Channel(row["channel"]).label) if row.get("channel") in Channel.values else row.get("channel", "")
    )


SATISFACTION_COLUMNS = (
    ("answers", _("Answers")),
    ("average_rating", _("Average rating (1–5)")),
    ("solved", _("Solved")),
    ("solved_share", _("Solved (%)")),
)
TICKET_COLUMNS = (
    ("resolved", _("Resolved")),
    ("first_contact", _("Solved on first contact")),
    ("first_contact_share", _("First-contact resolution (%)")),
    ("median_first_response_hours", _("Median first response (hours)")),
    ("median_resolution_hours", _("Median resolution (hours)")),
    ("first_response_in_sla_share", _("First response within SLA (%)")),
    ("resolution_in_sla_share", _("Resolution within SLA (%)")),
)

CHARTS = {
    spec.key: spec
    for spec in [
        ChartSpec(
            "satisfaction-week",
            _("Satisfaction by week"),
            _("Average survey rating (1 to 5) per week the customers answered."),
            metrics.satisfaction_by_week,
            week_label,
            (Series("average_rating", _("Average rating")),),
            5,
            csv_columns=(("week", _("Week")), *SATISFACTION_COLUMNS),
        ),
        ChartSpec(
            "solved-week",
            _("Problem solved, by week"),
            _("Share of survey answers saying the problem was solved, per week answered."),
            metrics.satisfaction_by_week,
            week_label,
            (Series("solved_share", _("Solved (%)")),),
            100,
            "%",
            csv_columns=(("week", _("Week")), *SATISFACTION_COLUMNS),
        ),
        ChartSpec(
            "satisfaction-queue",
            _("Satisfaction by queue"),
            _("Average survey rating (1 to 5) per queue."),
            metrics.satisfaction_by_queue,
            lambda row: row["queue_name"],
            (Series("average_rating", _("Average rating")),),
            5,
            csv_columns=(("queue_name", _("Queue")), *SATISFACTION_COLUMNS),
        ),
        ChartSpec(
            "satisfaction-channel",
            _("Satisfaction by channel"),
            _("Average survey rating (1 to 5) per channel the request came in on."),
            metrics.satisfaction_by_channel,
            channel_label,
            (Series("average_rating", _("Average rating")),),
            5,
            csv_columns=(("channel", _("Channel")), *SATISFACTION_COLUMNS),
        ),
        ChartSpec(
            "response-rate-week",
            _("Survey response rate by week"),
            _("Share of the surveys sent each week that customers answered."),
            metrics.response_rate_by_week,
            week_label,
            (Series("answered_share", _("Answered (%)")),),
            100,
            "%",
            csv_columns=(
                ("week", _("Week")),
                ("sent", _("Sent")),
                ("answered", _("Answered")),
                ("answered_share", _("Response rate (%)")),
            ),
        ),
        ChartSpec(
            "first-contact-week",
            _("First-contact resolution by week"),
            _("Share of the requests resolved each week that were solved in the first contact."),
            metrics.tickets_by_week,
            week_label,
            (Series("first_contact_share", _("First contact (%)")),),
            100,
            "%",
            csv_columns=(("week", _("Week")), *TICKET_COLUMNS),
        ),
        ChartSpec(
            "times-week",
            _("Median response and resolution times by week"),
            _("Median hours from arrival to first answer and to resolution, per week resolved."),
            metrics.tickets_by_week,
            week_label,
            (
                Series("median_first_response_hours", _("First response (h)")),
                Series("median_resolution_hours", _("Resolution (h)")),
            ),
            None,
            " h",
            csv_columns=(("week", _("Week")), *TICKET_COLUMNS),
        ),
        ChartSpec(
            "sla-week",
            _("Within SLA by week"),
            _("Share of requests answered and resolved within their SLA targets, per week resolved."),
            metrics.tickets_by_week,
            week_label,
            (
                Series("first_response_in_sla_share", _("First response (%)")),
                Series("resolution_in_sla_share", _("Resolution (%)")),
            ),
            100,
            "%",
            csv_columns=(("week", _("Week")), *TICKET_COLUMNS),
        ),
    ]
}


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    text: str


@dataclass
class Drawing:
    spec: ChartSpec
    rows: list[dict]
    labels: list[str]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    label_positions: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def center_x(self) -> float:
        return (self.plot_left + self.plot_right) / 2

    @property
    def table(self) -> list[tuple[str, list[str]]]:
        """The chart as text: one line per label with each series' value."""
        return [
            (label, [format_value(row.get(series.key), self.spec.unit) for series in self.spec.series])
            for label, row in zip(self.labels, self.rows, strict=True)
        ]


def format_value(value, unit: str) -> str:
    if value is None:
        return "–"
    return f"{formats.number_format(value, decimal_pos=1 if isinstance(value, float) else 0)}{unit}"


def draw(spec: ChartSpec, rows: list[dict]) -> Drawing:
    labels = [str(spec.label(row)) for row in rows]
    drawing = Drawing(spec, rows, labels)
    values = [row.get(series.key) for row in rows for series in spec.series]
    top = spec.maximum or nice_ceiling(max((value for value in values if value is not None), default=0))
    plot_height = drawing.plot_bottom - TOP
    steps = 5 if top == 5 else 4  # whole ratings on a 1-5 scale, quarters otherwise
    for step in range(steps + 1):
        value = top * step / steps
        label = format_value(int(value) if float(value).is_integer() else value, spec.unit)
        drawing.ticks.append((drawing.plot_bottom - plot_height * step / steps, label))
    if rows:
        slot = (drawing.plot_right - LEFT) / len(rows)
        bar_width = slot * 0.7 / len(spec.series)
        for index, (label, row) in enumerate(zip(labels, rows, strict=True)):
            start = LEFT + slot * index + slot * 0.15
            drawing.label_positions.append((LEFT + slot * (index + 0.5), shorten(label)))
            for number, series in enumerate(spec.series):
                value = row.get(series.key)
                height = 0 if value is None or not top else plot_height * min(value, top) / top
                drawing.bars.append(
                    Bar(
                        x=round(start + bar_width * number, 1),
                        y=round(drawing.plot_bottom - height, 1),
                        width=round(bar_width, 1),
                        height=round(height, 1),
                        colour=COLOURS[number % len(COLOURS)],
                        text=f"{label}: {series.label} {format_value(value, spec.unit)}",
                    )
                )
    drawing.legend = [(str(series.label), COLOURS[n % len(COLOURS)]) for n, series in enumerate(spec.series)]
    return drawing


def nice_ceiling(value: float) -> float:
    """A round top for a scale: 1, 2, 5 or 10 times a power of ten, at least the value."""
    if value <= 0:
        return 1
    power = 1
    while power * 10 < value:
        power *= 10
    while power > value * 10:
        power /= 10
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def shorten(label: str, length: int = 12) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"
