"""The post-incident report: a list of sections, each a function of the incident.

A section function returns a `Section` (a template and its context) and reads a fixed number of
rows, aggregated by the database. Another app adds or replaces a section through
crisis.hooks.REPORT_SECTIONS: the feedback app supplies "satisfaction", the answers of affected
customers to their follow-up (crisis never imports it). Without it, that section says there are
no survey results yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisis import charts, hooks
from crisis.models import CompensationProposal, Incident, IncidentEvent, IncidentTicket, Kind
from helpdesk.charts import BarChart
from helpdesk.models import Channel

# Timeline kinds that put words in front of the public: the declaration carries the first public
# statement; the others are the reviewed updates and the final statement, whatever model stores
# their text. The updates count below reads these rows, so it needs no other model.
PUBLIC_EVENT_KINDS = ("declared", "update_published", "resolved")
UPDATE_EVENT_KINDS = ("update_published",)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


SectionFunction = Callable[[Incident], Section]


def timeline(incident: Incident) -> Section:
    events = list(
        IncidentEvent.objects.filter(incident=incident).select_related("actor").order_by("at", "pk")
    )
    return Section("timeline", _("Timeline"), "crisis/report/timeline.html", {"events": events})


def acknowledgement(incident: Incident) -> Section:
    """From the first report of an affected customer to our first public word."""
    first_report = IncidentTicket.objects.filter(incident=incident).aggregate(
        first=Min("ticket__created_at")
    )["first"]
    first_public = IncidentEvent.objects.filter(incident=incident, kind__in=PUBLIC_EVENT_KINDS).aggregate(
        first=Min("at")
    )["first"]
    acknowledged_at = min(filter(None, [first_public, incident.declared_at]))
    delay = (acknowledged_at - first_report) if first_report else None
    context = {
        "first_report": first_report,
        "acknowledged_at": acknowledged_at,
        "delay": delay,
        "before_reports": delay is not None and delay <= timedelta(0),
    }
    return Section(
        "acknowledgement", _("Time to public acknowledgement"), "crisis/report/acknowledgement.html", context
    )


def reports(incident: Incident) -> Section:
    links = IncidentTicket.objects.filter(incident=incident)
    labels = dict(Channel.choices)
    by_channel = [
        {"channel": labels.get(row["ticket__channel"], row["ticket__channel"]), "count": row["count"]}
        for row in links.values("ticket__channel")
        .annotate(count=Count("pk"))
        .order_by("-count", "ticket__channel")
    ]
    by_hour = list(
        links.annotate(hour=TruncHour("ticket__created_at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(count=Count("pk"))
        .order_by("hour")
    )
    context = {
        "by_channel": by_channel,
        "chart": hourly_chart(by_hour),
        "total": sum(r["count"] for r in by_channel),
    }
    return Section("reports", _("Reports by channel and hour"), "crisis/report/reports.html", context)


def updates(incident: Incident) -> Section:
    count = IncidentEvent.objects.filter(incident=incident, kind__in=UPDATE_EVENT_KINDS).count()
    return Section("updates", _("Public updates"), "crisis/report/updates.html", {"count": count})


def compensation(incident: Incident) -> Section:
    proposals = CompensationProposal.objects.filter(incident=incident).order_by()
    kinds = dict(Kind.choices)
    states = dict(CompensationProposal.State.choices)
    rows = [
        {
            **row,
            "state_label": states.get(row["state"], row["state"]),
            "kind_label": kinds.get(row["kind"], row["kind"]),
        }
        for row in proposals.values("state", "kind", "currency")
        .annotate(count=Count("pk"), amount=Sum("amount"), days=Sum("duration_days"))
        .order_by("state", "kind", "currency")
    ]
    counts = {row["state"]: row["count"] for row in proposals.values("state").annotate(count=Count("pk"))}
    summary = [
        (_("Proposed"), sum(counts.values())),
        (_("Approved"), counts.get("approved", 0) + counts.get("fulfilled", 0)),
        (_("Rejected"), counts.get("rejected", 0)),
        (_("Fulfilled"), counts.get("fulfilled", 0)),
        (_("Still waiting"), counts.get("pending", 0)),
    ]
    return Section(
        "compensation",
        _("Compensation"),
        "crisis/report/compensation.html",
        {"rows": rows, "summary": summary},
    )


def satisfaction(incident: Incident) -> Section:
    return Section(
        "satisfaction", _("Satisfaction of affected customers"), "crisis/report/satisfaction.html", {}
    )


SECTIONS: list[SectionFunction] = [timeline, acknowledgement, reports, updates, compensation, satisfaction]


def build(incident: Incident) -> list[Section]:
    extra_sections = dict(hooks.REPORT_SECTIONS.entries())
    sections = []
    for function in SECTIONS:
        section = function(incident)
        replacement = extra_sections.get(section.key)
        sections.append(replacement(incident) if replacement else section)
    known = {section.key for section in sections}
    sections.extend(function(incident) for key, function in extra_sections.items() if key not in known)
    return sections


def hourly_chart(by_hour: list[dict]) -> BarChart | None:
    """Bars for each hour from the first report to the last, empty hours included."""
    if not by_hour:
        return None
    counts = {row["hour"]: row["count"] for row in by_hour}
    return charts.hourly_chart(
        counts, start=by_hour[0]["hour"], end=by_hour[-1]["hour"], max_hours=charts.REPORT_HOURS
    )
