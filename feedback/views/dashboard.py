"""The manager dashboard (/manage/): satisfaction, response rate, first-contact resolution and
times against SLA, as server-side SVG charts, each downloadable as CSV."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from feedback.dashboard import charts, compensation, metrics, snapshots
from feedback.themes import summary as themes_summary
from helpdesk.personal_data.access import Kind, record_access
from helpdesk.queue.line import queues_managed_by
from helpdesk.roles import manager_required


def scope_for(request) -> metrics.Scope:
    try:
        weeks = int(request.GET.get("weeks", metrics.DEFAULT_WEEKS))
    except ValueError:
        weeks = metrics.DEFAULT_WEEKS
    return metrics.default_scope(queues_managed_by(request.user), weeks)


@manager_required
@require_GET
def manager_dashboard(request):
    scope = scope_for(request)
    figures, computed_at = snapshots.figures_for(scope)
    context = {
        "scope": scope,
        "periods": metrics.PERIODS,
        "tickets": figures["tickets"],
        "surveys": figures["surveys"],
        "drawings": [
            charts.draw(spec, figures["rows"][spec.rows.__name__]) for spec in charts.CHARTS.values()
        ],
        "computed_at": computed_at,
        "median_is_exact": metrics.median_is_exact(),
        "compensation_totals": compensation.totals(scope),
        **themes_summary.panel(),
    }
    return render(request, "feedback/dashboard.html", context)


@manager_required
@require_GET
def chart_csv(request, key):
    spec = charts.CHARTS.get(key)
    if spec is None:
        raise Http404
    scope = scope_for(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{key}-{scope.weeks}w-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record_access(request.user, Kind.EXPORTED, detail=filename)
    writer = csv.writer(response)
    writer.writerow([str(label) for _key, label in spec.csv_columns])
    figures, _computed_at = snapshots.figures_for(scope)
    for row in figures["rows"][spec.rows.__name__]:
        writer.writerow([csv_value(row.get(column)) for column, _label in spec.csv_columns])
    return response


def csv_value(value):
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        return (
            timezone.localtime(value).date().isoformat()
            if timezone.is_aware(value)
            else value.date().isoformat()
        )
    return value
