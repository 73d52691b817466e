"""Compensation policies per incident, and the agents' grant limits: managers set both."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis.compensation_forms import GrantLimitForm, PolicyForm
from crisis.models import AuditEntry, CompensationPolicy, GrantLimit, Incident
from helpdesk.roles import agent_required, is_manager, manager_required


@agent_required
def policy_list(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = None
    if is_manager(request.user):
        form = PolicyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                policy = form.save(commit=False)
                policy.incident, policy.created_by = incident, request.user
                policy.save()
                form.save_m2m()
                AuditEntry.objects.create(
                    actor=request.user,
                    action=AuditEntry.Action.POLICY_CREATED,
                    incident=incident,
                    subject=str(policy),
                    after=policy.snapshot(),
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
    before = policy.snapshot()
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            policy = form.save()
            AuditEntry.objects.create(
                actor=request.user,
                action=AuditEntry.Action.POLICY_CHANGED,
                incident_id=pk,
                subject=str(policy),
                before=before,
                after=policy.snapshot(),
            )
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
        with transaction.atomic():
            limit = form.save(commit=False)
            limit.set_by, limit.set_at = request.user, timezone.now()
            limit.save()
            AuditEntry.objects.create(
                actor=request.user,
                action=AuditEntry.Action.LIMIT_SET,
                subject=str(limit),
                before=form.before,
                after=limit.snapshot(),
            )
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
    with transaction.atomic():
        AuditEntry.objects.create(
            actor=request.user,
            action=AuditEntry.Action.LIMIT_REMOVED,
            subject=str(limit),
            before=limit.snapshot(),
        )
        limit.delete()
    messages.success(
        request, _("Limit removed: everything this agent proposes of that kind now waits for a manager.")
    )
    return redirect("crisis:limits")
