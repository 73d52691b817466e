"""The managers' approval queue: filters, totals computed by the database, bulk decisions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis.compensation import services
from crisis.compensation.forms import BulkDecisionForm, QueueFilterForm
from crisis.models import CompensationProposal, Kind
from helpdesk.roles import manager_required

PAGE_SIZE = 50


def filtered(form: QueueFilterForm):
    proposals = CompensationProposal.objects.all()
    if not form.is_valid():
        return proposals.pending()
    data = form.cleaned_data
    if data["incident"]:
        proposals = proposals.filter(incident=data["incident"])
    if data["kind"]:
        proposals = proposals.filter(kind=data["kind"])
    if data["state"]:
        proposals = proposals.filter(state=data["state"])
    if data["overdue"]:
        proposals = proposals.overdue()
    if data["to_review"]:
        proposals = proposals.to_review()
    return proposals


def totals(proposals, group_by: str, label) -> list[dict]:
    """Count, amount per currency and days, grouped and summed in the database."""
    rows = (
        proposals.order_by()
        .values(group_by, "currency")
        .annotate(count=Count("pk"), amount=Sum("amount"), days=Sum("duration_days"))
        .order_by(group_by, "currency")
    )
    return [{**row, "label": label(row[group_by])} for row in rows]


def queue_context(request, bulk_form=None) -> dict:
    # Default: what waits for a decision.
    filters = QueueFilterForm(request.GET or {"state": CompensationProposal.State.PENDING})
    proposals = filtered(filters)
    page = Paginator(
        proposals.select_related("ticket__customer", "incident", "proposed_by", "decider", "policy").order_by(
            "decide_by", "proposed_at", "pk"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    kinds = dict(Kind.choices)
    return {
        "filters": filters,
        "page": page,
        "by_incident": totals(proposals, "incident__title", str),
        "by_kind": totals(proposals, "kind", lambda kind: kinds.get(kind, kind)),
        "bulk_form": bulk_form or BulkDecisionForm(),
        "now": timezone.now(),
        "query": request.GET.urlencode(),
    }


@manager_required
def approval_queue(request):
    return render(request, "crisis/approval_queue.html", queue_context(request))


@manager_required
@require_POST
def decide_in_bulk(request):
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "crisis/approval_queue.html", queue_context(request, form), status=400)
    outcome = services.decide_many(
        [proposal.pk for proposal in form.cleaned_data["proposals"]],
        action=form.cleaned_data["decision"],
        by=request.user,
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("%(count)s done.") % {"count": outcome.done})
    for proposal, reason in outcome.skipped:
        messages.warning(request, f"{proposal}: {reason}")
    query = request.POST.get("query", "")
    return redirect(reverse("crisis:approvals") + (f"?{query}" if query else ""))
