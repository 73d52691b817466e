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

WIDTH, HEIGHT = 640, 270
LEFT, RIGHT, TOP, BOTTOM = 60, 12, 16, 72
COLOURS = ("#0b5ed7", "#b35c00")  # both at least 3:1 against white (WCAG 1.4.11)
# Axis labels are 13px (helpdesk.css): at most 8 units a character, two lines 15 units apart.
CHAR_WIDTH, LABEL_LINES, LINE_HEIGHT = 8, 2, 15

NO_ANSWERS = _("No survey answers in this period.")
NO_SURVEYS = _("No surveys sent in this period.")
NO_RESOLVED = _("No requests resolved in this period.")
NO_FIRST_RESPONSES = _("No first responses in this period.")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    empty: str = ""  # why the series can be empty while the chart has rows


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    description: str
    rows: Callable[[metrics.Scope], list[dict]]
    label: Callable[[dict], str]
    series: tuple[Series, ...]
    maximum: float | None  # a fixed top of the scale (5 for ratings, 100 for shares), or the data's
    empty: str  # why the chart has no rows
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
            NO_ANSWERS,
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
            NO_ANSWERS,
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
            NO_ANSWERS,
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
            NO_ANSWERS,
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
            NO_SURVEYS,
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
            NO_RESOLVED,
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
                Series("median_first_response_hours", _("First response (h)"), NO_FIRST_RESPONSES),
                Series("median_resolution_hours", _("Resolution (h)")),
            ),
            None,
            NO_RESOLVED,
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
                Series("first_response_in_sla_share", _("First response (%)"), NO_FIRST_RESPONSES),
                Series("resolution_in_sla_share", _("Resolution (%)")),
            ),
            100,
            NO_RESOLVED,
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
class AxisLabel:
    """A category's name under its bars: wrapped to fit its slot, whole in the tooltip."""

    x: float
    lines: list[tuple[float, str]]  # (y, text) of each line
    full: str


@dataclass
class Drawing:
    spec: ChartSpec
    rows: list[dict]
    labels: list[str]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    axis_labels: list[AxisLabel] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why a chart or a series is empty
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def center_x(self) -> float:
        return (self.plot_left + self.plot_right) / 2

    @property
    def note_lines(self) -> list[tuple[float, str]]:
        """The notes, one under the other in the middle of the plot."""
        middle = (TOP + self.plot_bottom) / 2 - (len(self.notes) - 1) * LINE_HEIGHT / 2
        return [(middle + LINE_HEIGHT * index, str(note)) for index, note in enumerate(self.notes)]

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
        # Weeks follow each other, so every other one may go unlabelled; a queue never does.
        every = label_spacing(labels, slot) if spec.label is week_label else 1
        for index, (label, row) in enumerate(zip(labels, rows, strict=True)):
            start = LEFT + slot * index + slot * 0.15
            if index % every == 0:
                lines = wrap(label, max(1, int(slot * every * 0.95 / CHAR_WIDTH)))
                drawing.axis_labels.append(
                    AxisLabel(
                        x=round(LEFT + slot * (index + 0.5), 1),
                        lines=[
                            (drawing.plot_bottom + 18 + LINE_HEIGHT * n, line) for n, line in enumerate(lines)
                        ],
                        full=label,
                    )
                )
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
    drawing.notes = empty_reasons(spec, rows)
    return drawing


def empty_reasons(spec: ChartSpec, rows: list[dict]) -> list[str]:
    """Why nothing (or one series) is drawn, instead of a blank plot."""
    if not rows:
        return [str(spec.empty)]
    return [
        str(series.empty or spec.empty)
        for series in spec.series
        if all(row.get(series.key) is None for row in rows)
    ]


def label_spacing(labels: list[str], slot: float) -> int:
    """Label every n-th bar when the labels do not fit side by side (52 weeks)."""
    longest_word = max((len(word) for label in labels for word in label.split()), default=0)
    every = 1
    while every < len(labels) and longest_word * CHAR_WIDTH > slot * every * 0.95:
        every += 1
    return every


def wrap(label: str, width: int) -> list[str]:
    """The label on at most LABEL_LINES lines of `width` characters, broken between words; cut
    with "…" only when a word is longer than a line or the lines run out (the tooltip and the
    table hold it whole)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > LABEL_LINES or any(len(line) > width for line in lines):
        kept = lines[: LABEL_LINES - 1]
        rest = " ".join(lines[LABEL_LINES - 1 :])
        lines = [*kept, rest if len(rest) <= width else rest[: max(1, width - 1)] + "…"]
        lines = [line if len(line) <= width else line[: max(1, width - 1)] + "…" for line in lines]
    return lines or [""]


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
