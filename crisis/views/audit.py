"""The compensation audit trail: read on a page, exported as CSV. Nothing here writes to it."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from crisis.models import AuditEntry
from helpdesk.personal_data.access import Kind, record_access
from helpdesk.roles import manager_required

COLUMNS = ["when", "who", "what", "incident", "ticket", "about", "before", "after", "note"]


def entries(request):
    trail = AuditEntry.objects.select_related("actor", "incident", "ticket").order_by("at", "pk")
    if incident := request.GET.get("incident", "").strip():
        trail = trail.filter(incident_id=incident) if incident.isdigit() else trail.none()
    if reference := request.GET.get("ticket", "").strip():
        trail = trail.filter(ticket__reference=reference)
    return trail


@manager_required
def audit_trail(request):
    page = Paginator(entries(request), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "query": query.urlencode()}
    return render(request, "crisis/audit_trail.html", context)


class _Echo:
    def write(self, value):
        return value


def _rows(trail):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for entry in trail.iterator(chunk_size=500):
        yield writer.writerow(
            [
                timezone.localtime(entry.at).isoformat(),
                entry.actor.get_username() if entry.actor else "worker",
                entry.action,
                entry.incident.title if entry.incident else "",
                entry.ticket.reference if entry.ticket else "",
                entry.subject,
                _json(entry.before),
                _json(entry.after),
                entry.note,
            ]
        )


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


@manager_required
def audit_csv(request):
    """Streamed, so a long trail never sits in memory."""
    filename = "compensation-audit.csv"
    filters = request.GET.urlencode()
    record_access(request.user, Kind.EXPORTED, detail=f"{filename} {filters}".strip())
    response = StreamingHttpResponse(_rows(entries(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
