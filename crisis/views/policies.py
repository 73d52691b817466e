"""Compensation policies per incident, and the agents' grant limits: managers set both."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis.compensation.forms import GrantLimitForm, PolicyForm, ThresholdForm
from crisis.models import ApprovalThreshold, CompensationPolicy, GrantLimit, Incident
from crisis.models.thresholds import default_labels
from helpdesk.models import InvalidTransition
from helpdesk.roles import agent_required, is_manager, manager_required


@agent_required
def policy_list(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = None
    if is_manager(request.user):
        form = PolicyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            form.instance.offer(
                incident=incident, by=request.user, categories=form.cleaned_data["categories"]
            )
            messages.success(request, _("The policy is offered to agents for this incident."))
            return redirect("crisis:policies", pk=incident.pk)
    elif request.method == "POST":
        return redirect("crisis:policies", pk=incident.pk)
    context = {
        "incident": incident,
        "policies": incident.compensation_policies.prefetch_related("categories"),
        "form": form,
        "linked": incident.ticket_links.count(),
    }
    return render(request, "crisis/policy_list.html", context, status=400 if form and form.errors else 200)


@manager_required
def policy_edit(request, pk, policy_pk):
    policy = get_object_or_404(CompensationPolicy, pk=policy_pk, incident_id=pk)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        policy.change(by=request.user, categories=form.cleaned_data["categories"])
        messages.success(request, _("Policy saved; the change is on the audit trail."))
        return redirect("crisis:policies", pk=pk)
    return render(
        request,
        "crisis/policy_edit.html",
        {"policy": policy, "form": form},
        status=400 if form.errors else 200,
    )


@manager_required
def limit_list(request):
    form = GrantLimitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            GrantLimit.set_for(data.pop("agent"), **data, by=request.user)
        except InvalidTransition as error:
            form.add_error("agent", str(error))
        else:
            messages.success(request, _("Limit saved."))
            return redirect("crisis:limits")
    limits = GrantLimit.objects.select_related("agent", "set_by")
    return render(
        request,
        "crisis/limit_list.html",
        {"form": form, "limits": limits},
        status=400 if form.errors else 200,
    )


@manager_required
@require_POST
def limit_remove(request, pk):
    limit = get_object_or_404(GrantLimit.objects.select_related("agent"), pk=pk)
    limit.remove(by=request.user)
    messages.success(
        request, _("Limit removed: everything this agent proposes of that kind now waits for a manager.")
    )
    return redirect("crisis:limits")


@manager_required
def threshold_list(request):
    """Above which amount a grant needs two managers, per kind and currency (README: Security)."""
    form = ThresholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ApprovalThreshold.set(
            kind=data["kind"],
            currency=data["currency"],
            amount=data["above_amount"],
            days=data["above_days"],
            by=request.user,
        )
        messages.success(request, _("Saved. A higher amount takes effect in 24 hours, a lower one at once."))
        return redirect("crisis:thresholds")
    context = {
        "form": form,
        "thresholds": ApprovalThreshold.objects.select_related("set_by"),
        "defaults": default_labels(),
        "now": timezone.now(),
    }
    return render(request, "crisis/threshold_list.html", context, status=400 if form.errors else 200)
