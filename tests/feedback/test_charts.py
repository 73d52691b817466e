"""The SVG geometry of the dashboard's charts."""

from datetime import date

import pytest

from feedback.dashboard.charts import CHARTS, draw, nice_ceiling


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
