"""The figures of the manager dashboard, each computed by the database in one query.

Every function returns plain rows (dicts) for one chart or one set of totals; the dashboard view
and the CSV download call the same function, so the file holds exactly what the chart shows.
Medians are PostgreSQL's percentile_cont; on SQLite (a quick local run) they fall back to the
mean, and the dashboard says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from feedback.models import Survey
from helpdesk.models import Ticket

PERIODS = (4, 12, 26, 52)
DEFAULT_WEEKS = 12


class Median(Aggregate):
    """The median of a column (PostgreSQL percentile_cont); the mean elsewhere."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="AVG", template="%(function)s(%(expressions)s)")


def median_is_exact() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Scope:
    """Whose figures: a set of queues, over the last `weeks` weeks."""

    queues: object  # a Queue queryset, used as a subquery
    weeks: int
    now: datetime

    @property
    def since(self) -> datetime:
        return self.now - timedelta(weeks=self.weeks)


def _answers(scope: Scope):
    return Survey.objects.answered().filter(answered_at__gte=scope.since, queue__in=scope.queues)


def _satisfaction(rows):
    return rows.annotate(
        answers=Count("pk"),
        average_rating=Avg("rating"),
        solved=Count("pk", filter=Q(solved=True)),
    )


def satisfaction_by_week(scope: Scope) -> list[dict]:
    rows = _satisfaction(_answers(scope).annotate(week=TruncWeek("answered_at")).values("week"))
    return [_with_share(row, "solved", "answers") for row in rows.order_by("week")]


def satisfaction_by_queue(scope: Scope) -> list[dict]:
    rows = _satisfaction(_answers(scope).values(queue_name=F("queue__name")))
    return [_with_share(row, "solved", "answers") for row in rows.order_by("queue_name")]


def satisfaction_by_channel(scope: Scope) -> list[dict]:
    rows = _satisfaction(_answers(scope).values("channel"))
    return [_with_share(row, "solved", "answers") for row in rows.order_by("channel")]


def response_rate_by_week(scope: Scope) -> list[dict]:
    rows = (
        Survey.objects.filter(sent_at__gte=scope.since, queue__in=scope.queues)
        .annotate(week=TruncWeek("sent_at"))
        .values("week")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(status=Survey.Status.ANSWERED)))
        .order_by("week")
    )
    return [_with_share(row, "answered", "sent") for row in rows]


def _ticket_figures():
    first_response = ExpressionWrapper(
        F("first_responded_at") - F("created_at"), output_field=DurationField()
    )
    resolution = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    return {
        "resolved": Count("pk"),
        "first_contact": Count("pk", filter=Q(solved_on_first_contact=True)),
        "median_first_response": Median(first_response, output_field=DurationField()),
        "median_resolution": Median(resolution, output_field=DurationField()),
        "answered": Count(
            "pk", filter=Q(first_responded_at__isnull=False, first_response_due_at__isnull=False)
        ),
        "first_response_in_sla": Count("pk", filter=Q(first_responded_at__lte=F("first_response_due_at"))),
        "with_resolution_target": Count("pk", filter=Q(resolution_due_at__isnull=False)),
        "resolution_in_sla": Count("pk", filter=Q(resolved_at__lte=F("resolution_due_at"))),
    }


def _resolved(scope: Scope):
    return Ticket.objects.filter(resolved_at__gte=scope.since, queue__in=scope.queues)


def tickets_by_week(scope: Scope) -> list[dict]:
    rows = (
        _resolved(scope)
        .annotate(week=TruncWeek("resolved_at"))
        .values("week")
        .annotate(**_ticket_figures())
        .order_by("week")
    )
    return [_ticket_shares(row) for row in rows]


def ticket_totals(scope: Scope) -> dict:
    return _ticket_shares(_resolved(scope).aggregate(**_ticket_figures()))


def survey_totals(scope: Scope) -> dict:
    in_period = Survey.objects.filter(queue__in=scope.queues).filter(
        Q(sent_at__gte=scope.since) | Q(answered_at__gte=scope.since)
    )
    answered_in_period = Q(status=Survey.Status.ANSWERED, answered_at__gte=scope.since)
    totals = in_period.aggregate(
        sent=Count("pk", filter=Q(sent_at__gte=scope.since)),
        answered_of_sent=Count("pk", filter=Q(sent_at__gte=scope.since, status=Survey.Status.ANSWERED)),
        answers=Count("pk", filter=answered_in_period),
        average_rating=Avg("rating", filter=answered_in_period),
        solved=Count("pk", filter=answered_in_period & Q(solved=True)),
        to_review=Count("pk", filter=Q(needs_review=True, reviewed_at__isnull=True)),
    )
    totals = _with_share(totals, "solved", "answers")
    totals["response_rate"] = _share(totals["answered_of_sent"], totals["sent"])
    return totals


def _ticket_shares(row: dict) -> dict:
    row = dict(row)
    row["first_contact_share"] = _share(row["first_contact"], row["resolved"])
    row["first_response_in_sla_share"] = _share(row["first_response_in_sla"], row["answered"])
    row["resolution_in_sla_share"] = _share(row["resolution_in_sla"], row["with_resolution_target"])
    for name in ("median_first_response", "median_resolution"):
        row[f"{name}_hours"] = _hours(row[name])
    return row


def _with_share(row: dict, part: str, whole: str) -> dict:
    row = dict(row)
    row[f"{part}_share"] = _share(row[part], row[whole])
    if row.get("average_rating") is not None:
        row["average_rating"] = round(float(row["average_rating"]), 2)
    return row


def _share(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _hours(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 3600, 1)
    return round(float(value) / 3_600_000_000, 1)  # SQLite's mean comes back in microseconds


def default_scope(queues, weeks: int | None = None) -> Scope:
    return Scope(queues=queues, weeks=weeks if weeks in PERIODS else DEFAULT_WEEKS, now=timezone.now())
