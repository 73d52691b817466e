"""Reports per hour as a bar chart (helpdesk.charts draws it), for the incident page and report."""

from __future__ import annotations

from datetime import datetime, timedelta

from helpdesk.charts import BarChart, bar_chart, hour_label

# The incident page shows its last three days; the report at most a fortnight.
PAGE_HOURS, REPORT_HOURS = 72, 24 * 14


def hourly_chart(counts: dict[datetime, int], *, start: datetime, end: datetime, max_hours: int) -> BarChart:
    """One bar per hour from start to end (the last `max_hours`), empty hours included.

    `counts` comes from the database already grouped by hour; this only lays out the bars.
    """
    end_hour = end.replace(minute=0, second=0, microsecond=0)
    start_hour = max(
        start.replace(minute=0, second=0, microsecond=0), end_hour - timedelta(hours=max_hours - 1)
    )
    hours = []
    hour = start_hour
    while hour <= end_hour:
        hours.append(hour)
        hour += timedelta(hours=1)
    return bar_chart([(hour_label(hour), counts.get(hour, 0)) for hour in hours])
