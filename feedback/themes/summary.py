"""What other pages show of themes and recurring complaints (the manager dashboard includes it).

Fixed queries whatever the number of complaints. The dashboard renders
`{% include "feedback/includes/themes_panel.html" %}` with `panel()`'s dictionary in its context.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from feedback.models import RecurringComplaint, Theme, ThemeMembership

RECENT_DAYS = 7


def top_themes(limit: int = 5, *, days: int = RECENT_DAYS) -> list[Theme]:
    """The themes with the most complaints in the last `days` days, each with `recent_count`.

    Two queries: the counts from the membership index on time, then those themes.
    """
    since = timezone.now() - timedelta(days=days)
    counts = dict(
        ThemeMembership.objects.filter(complained_at__gte=since)
        .values("theme")
        .annotate(recent=Count("pk"))
        .order_by("-recent", "theme")
        .values_list("theme", "recent")[:limit]
    )
    themes = Theme.objects.filter(pk__in=counts).select_related("category", "recurring_complaint")
    for theme in themes:
        theme.recent_count = counts[theme.pk]
    return sorted(themes, key=lambda theme: (-theme.recent_count, theme.pk))


def open_recurring_complaints(limit: int = 10):
    """Recurring complaints not closed yet, the oldest raised first, with their theme and owner."""
    return (
        RecurringComplaint.objects.open().select_related("theme", "owner").order_by("raised_at", "pk")[:limit]
    )


def panel(limit: int = 5) -> dict:
    """The context of feedback/includes/themes_panel.html (four queries)."""
    return {
        "top_themes": top_themes(limit),
        "open_recurring_complaints": list(open_recurring_complaints(limit)),
        "open_recurring_complaint_count": RecurringComplaint.objects.open().count(),
        "recent_days": RECENT_DAYS,
    }


def trend(theme: Theme, *, by: str = "day", today: date | None = None) -> list[tuple[date, int]]:
    """Complaints per day (last 30 days) or per week (last 12 weeks), empty periods included."""
    tz = timezone.get_current_timezone()
    today = today or timezone.localdate()
    if by == "week":
        first = today - timedelta(days=today.weekday()) - timedelta(weeks=11)
        periods = [first + timedelta(weeks=week) for week in range(12)]
        truncate = TruncWeek("complained_at", tzinfo=tz)
    else:
        first = today - timedelta(days=29)
        periods = [first + timedelta(days=day) for day in range(30)]
        truncate = TruncDate("complained_at", tzinfo=tz)
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    rows = (
        theme.memberships.filter(complained_at__gte=start)
        .annotate(period=truncate)
        .values("period")
        .annotate(complaints=Count("pk"))
        .values_list("period", "complaints")
    )
    counts = {(period.date() if isinstance(period, datetime) else period): n for period, n in rows}
    return [(period, counts.get(period, 0)) for period in periods]


def channels(theme: Theme) -> list[tuple[str, int]]:
    return list(
        theme.memberships.values("channel")
        .annotate(complaints=Count("pk"))
        .order_by("-complaints", "channel")
        .values_list("channel", "complaints")
    )
