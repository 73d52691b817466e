"""Counts and figures about the queues, each asked of the database in one aggregate query.

The agent's queue page shows a few counts per queue; the managers' overview adds the oldest
waiting request, the agents available, today's answers and the median first response time.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from helpdesk.models import BusinessCalendar, Queue, SlaBand, Ticket
from helpdesk.models.queue_place import IN_LINE
from helpdesk.roles import AGENTS, MANAGERS

OPEN_STATUSES = ["new", "open", "waiting"]
SLA_RUNNING = ["new", "open"]
MEDIAN_WINDOW = timedelta(days=7)


class Median(Aggregate):
    """PostgreSQL's `percentile_cont(0.5)`: the median, computed where the rows are."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def median_available() -> bool:
    return connection.vendor == "postgresql"


def _open_tickets_counted(condition: Q):
    # A correlated count over the queue's open tickets only, rather than a join over every ticket
    # the queue ever had: the closed ones are most of them. COUNT(*) and the columns of the
    # conditions are all in the partial index ticket_open_counts, so PostgreSQL counts from the
    # index alone without reading the tickets.
    counted = (
        Ticket.objects.filter(queue=OuterRef("pk"), status__one_of=OPEN_STATUSES)
        .filter(condition)
        .order_by()
        .values("queue")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def with_line_counts(queues):
    """Each queue with its open tickets, those in line, at risk and breached (one query)."""
    running = Q(status__one_of=SLA_RUNNING)
    return queues.annotate(
        open_count=_open_tickets_counted(Q()),
        in_line_count=_open_tickets_counted(IN_LINE),
        at_risk_count=_open_tickets_counted(running & Q(sla_band=SlaBand.AT_RISK)),
        breached_count=_open_tickets_counted(running & Q(sla_band=SlaBand.BREACHED)),
    )


def _available_agents():
    """Staff who would take a ticket now: available, or back from a break that has run out."""
    now = timezone.now()
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[AGENTS, MANAGERS])
        .filter(
            Q(staff_profile__isnull=True)
            | Q(staff_profile__availability="available")
            | Q(staff_profile__availability="break", staff_profile__break_until__lte=now)
        )
    )


def _count(subquery):
    counted = subquery.order_by().values("is_active").annotate(n=Count("pk", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def local_midnight(time_zone: str, now: datetime) -> datetime:
    tz = ZoneInfo(time_zone)
    return datetime.combine(now.astimezone(tz).date(), time(0), tzinfo=tz)


def queue_overview(now: datetime | None = None) -> list[Queue]:
    """Every queue with the figures of the managers' overview, in three queries.

    "Today" is the queue's own calendar day; an agent in no queue serves (and counts for)
    every queue. The median needs PostgreSQL; elsewhere it is None and shown as unavailable.
    """
    now = now or timezone.now()
    time_zones = sorted(set(BusinessCalendar.objects.values_list("time_zone", flat=True)))
    answered_today = Q(pk__in=[])
    for time_zone in time_zones:
        answered_today |= Q(
            calendar__time_zone=time_zone,
            tickets__first_responded_at__gte=local_midnight(time_zone, now),
            tickets__first_responded_at__lte=now,
        )
    available = _available_agents()
    queues = with_line_counts(Queue.objects.select_related("calendar")).annotate(
        oldest_waiting_since=Subquery(
            Ticket.objects.filter(IN_LINE, queue=OuterRef("pk"))
            .order_by()
            .values("queue")
            .annotate(oldest=Min("created_at"))
            .values("oldest")
        ),
        answered_today=Count("tickets", filter=answered_today),
        agents_in_queue=_count(available.filter(queues=OuterRef("pk"))),
    )
    if median_available():
        response_time = ExpressionWrapper(
            F("tickets__first_responded_at") - F("tickets__created_at"), output_field=DurationField()
        )
        queues = queues.annotate(
            median_first_response=Median(
                response_time, filter=Q(tickets__first_responded_at__gte=now - MEDIAN_WINDOW)
            )
        )
    agents_anywhere = available.filter(queues__isnull=True).distinct().count()
    queues = list(queues.order_by("name"))
    for queue in queues:
        queue.agents_available = queue.agents_in_queue + agents_anywhere
        if not median_available():
            queue.median_first_response = None
    return queues
