"""Reading and refreshing the dashboard's stored figures (feedback.models.DashboardSnapshot)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.dashboard import metrics
from feedback.dashboard.charts import CHARTS
from feedback.models import DashboardSnapshot
from helpdesk.queue.line import queues_managed_by
from helpdesk.roles import MANAGERS

# The worker refreshes every ten minutes; a row a little older than that is still served.
FRESH_FOR = timedelta(minutes=15)


def key_for(scope: metrics.Scope, queue_ids: list[int]) -> str:
    return f"weeks={scope.weeks};queues={','.join(map(str, sorted(queue_ids)))}"


def compute(scope: metrics.Scope) -> dict:
    """Every figure of the page, one query each, in a JSON-able form."""
    sources = {spec.rows.__name__: spec.rows for spec in CHARTS.values()}
    figures = {
        "tickets": metrics.ticket_totals(scope),
        "surveys": metrics.survey_totals(scope),
        "rows": {name: rows(scope) for name, rows in sources.items()},
    }
    return _jsonable(figures)


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items() if not isinstance(item, timedelta)}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    return value


def _restored(value):
    if isinstance(value, dict):
        if set(value) == {"datetime"}:
            return datetime.fromisoformat(value["datetime"])
        return {key: _restored(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_restored(item) for item in value]
    return value


def store(key: str, figures: dict, now: datetime) -> None:
    try:
        with transaction.atomic():
            DashboardSnapshot.objects.update_or_create(
                key=key, defaults={"computed_at": now, "figures": figures}
            )
    except IntegrityError:  # another request stored the same figures a moment ago
        pass


def figures_for(scope: metrics.Scope) -> tuple[dict, datetime]:
    """The figures of this scope and when they were computed: stored ones when fresh."""
    key = key_for(scope, list(scope.queues.values_list("pk", flat=True)))
    snapshot = DashboardSnapshot.objects.filter(key=key, computed_at__gte=scope.now - FRESH_FOR).first()
    if snapshot is None:
        figures = compute(scope)
        store(key, figures, scope.now)
        return _restored(figures), scope.now
    return _restored(snapshot.figures), snapshot.computed_at


def refresh_all(now: datetime | None = None) -> int:
    """The worker's refresh: every manager's queues, every period the page offers."""
    done = set()
    for manager in get_user_model().objects.filter(groups__name=MANAGERS, is_active=True).distinct():
        queues = queues_managed_by(manager)
        queue_ids = list(queues.values_list("pk", flat=True))
        for weeks in metrics.PERIODS:
            scope = metrics.Scope(queues=queues, weeks=weeks, now=now or timezone.now())
            key = key_for(scope, queue_ids)
            if key not in done:
                store(key, compute(scope), scope.now)
                done.add(key)
    return len(done)
