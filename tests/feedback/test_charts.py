"""The SVG geometry of the dashboard's charts."""

from datetime import date, timedelta
from itertools import pairwise

import pytest

from feedback.dashboard.charts import CHAR_WIDTH, CHARTS, draw, nice_ceiling


@pytest.mark.parametrize(("value", "top"), [(0, 1), (3.2, 5), (7, 10), (13, 20), (48, 50), (101, 200)])
def test_scale_tops_are_round(value, top):
    assert nice_ceiling(value) == top


def test_bars_are_scaled_to_the_fixed_rating_scale():
    rows = [
        {"week": date(2026, 3, 2), "average_rating": 5.0},
        {"week": date(2026, 3, 9), "average_rating": 2.5},
    ]
    drawing = draw(CHARTS["satisfaction-week"], rows)
    full, half = drawing.bars
    assert full.height == pytest.approx(2 * half.height)
    assert full.y == 16  # the top of the plot
    assert [label for _y, label in drawing.ticks] == ["0", "1", "2", "3", "4", "5"]
    assert drawing.table == [("2 Mar", ["5.0"]), ("9 Mar", ["2.5"])]


def test_missing_values_draw_no_bar_and_read_as_a_dash():
    rows = [{"week": date(2026, 3, 2), "median_first_response_hours": None, "median_resolution_hours": 6.0}]
    drawing = draw(CHARTS["times-week"], rows)
    assert drawing.bars[0].height == 0
    assert drawing.table[0][1] == ["–", "6.0 h"]


QUEUES = ["Complaints", "General questions", "Rozliczenia (PL)", "Számlázás (HU)", "Technical support"]


def test_queue_names_wrap_whole_instead_of_being_cut():
    rows = [{"queue_name": name, "average_rating": 4.0} for name in QUEUES]
    drawing = draw(CHARTS["satisfaction-queue"], rows)

    shown = [" ".join(line for _y, line in label.lines) for label in drawing.axis_labels]
    assert shown == QUEUES
    assert [label.full for label in drawing.axis_labels] == QUEUES
    slot = (drawing.plot_right - drawing.plot_left) / len(QUEUES)
    for label in drawing.axis_labels:
        assert all(len(line) * CHAR_WIDTH <= slot for _y, line in label.lines)
        assert all(y < drawing.height - 22 for y, _line in label.lines)  # above the legend


def test_a_year_of_weeks_labels_every_few_weeks_without_overlap():
    rows = [{"week": date(2026, 1, 5) + timedelta(weeks=n), "average_rating": 4.0} for n in range(52)]
    drawing = draw(CHARTS["satisfaction-week"], rows)

    assert 6 <= len(drawing.axis_labels) < 52
    xs = [label.x for label in drawing.axis_labels]
    widest = max(len(line) for label in drawing.axis_labels for _y, line in label.lines)
    assert min(b - a for a, b in pairwise(xs)) >= widest * CHAR_WIDTH
    assert len(drawing.bars) == 52


def test_an_empty_chart_says_why():
    assert draw(CHARTS["times-week"], []).notes == ["No requests resolved in this period."]
    rows = [{"week": date(2026, 3, 2), "median_first_response_hours": None, "median_resolution_hours": 6.0}]
    assert draw(CHARTS["times-week"], rows).notes == ["No first responses in this period."]
