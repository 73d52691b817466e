"""Managers act on recurring complaints: the list with its filters and rule, each step, and the
answers to a theme's open requests."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from feedback.models import RecurringComplaint, RecurringComplaintRule, ThemeMergeProposal, ThemeReply
from feedback.themes import replies
from feedback.themes.forms import (
    FindingsForm,
    OwnerForm,
    RecurringComplaintFilterForm,
    RecurringComplaintRuleForm,
)
from feedback.views.themes import render_theme
from helpdesk.roles import manager_required
from helpdesk.views.transitions import refusal_as_message

PER_PAGE = 25


def render_list(request, *, rule_form=None, status=200):
    filters = RecurringComplaintFilterForm(request.GET or {"status": "open"})
    criteria = filters.cleaned_data if filters.is_valid() else {"status": "open"}
    recurring_complaints = (
        RecurringComplaint.objects.filtered(
            status=criteria.get("status", ""), owner=criteria.get("owner"), category=criteria.get("category")
        )
        .select_related("theme__category", "owner")
        .order_by("-raised_at", "-pk")
    )
    context = {
        "filters": filters,
        "page": Paginator(recurring_complaints, PER_PAGE).get_page(request.GET.get("page")),
        "rule_form": rule_form or RecurringComplaintRuleForm(instance=RecurringComplaintRule.current()),
        "waiting_proposals": ThemeMergeProposal.objects.pending().count(),
    }
    return render(request, "feedback/recurring_complaint_list.html", context, status=status)


@manager_required
@require_GET
def recurring_complaint_list(request):
    return render_list(request)


@manager_required
@require_POST
def recurring_complaint_rule(request):
    form = RecurringComplaintRuleForm(request.POST, instance=RecurringComplaintRule.current())
    if not form.is_valid():
        return render_list(request, rule_form=form, status=400)
    rule = form.save(commit=False)
    rule.updated_by = request.user
    rule.save()
    messages.success(request, _("Escalation rule saved. It applies from the next complaint."))
    return redirect("feedback:recurring-complaint-list")


def recurring_complaint_for(pk):
    return get_object_or_404(RecurringComplaint.objects.select_related("theme", "owner"), pk=pk)


@manager_required
@require_POST
def acknowledge(request, pk):
    recurring_complaint = recurring_complaint_for(pk)
    with refusal_as_message(request):
        recurring_complaint.acknowledge(by=request.user)
        messages.success(request, _("Acknowledged. Assign an owner to find the root cause."))
        return redirect(recurring_complaint)
    return render_theme(request, recurring_complaint.theme, status=409)


@manager_required
@require_POST
def assign_owner(request, pk):
    recurring_complaint = recurring_complaint_for(pk)
    form = OwnerForm(request.POST)
    if not form.is_valid():
        return render_theme(request, recurring_complaint.theme, status=400, owner_form=form)
    with refusal_as_message(request):
        recurring_complaint.assign_owner(form.cleaned_data["owner"], by=request.user)
        messages.success(request, _("Owner assigned."))
        return redirect(recurring_complaint)
    return render_theme(request, recurring_complaint.theme, status=409, owner_form=form)


@manager_required
@require_POST
def findings(request, pk):
    """Save the root cause and fix, or (with `close`) save them and close the recurring complaint."""
    recurring_complaint = recurring_complaint_for(pk)
    form = FindingsForm(request.POST)
    if not form.is_valid():
        return render_theme(request, recurring_complaint.theme, status=400, findings_form=form)
    with refusal_as_message(request):
        if "close" in request.POST:
            recurring_complaint.close(by=request.user, **form.cleaned_data)
        else:
            recurring_complaint.record_findings(by=request.user, **form.cleaned_data)
        messages.success(request, _("Escalation closed.") if "close" in request.POST else _("Saved."))
        return redirect(recurring_complaint)
    return render_theme(request, recurring_complaint.theme, status=409, findings_form=form)


@manager_required
@require_POST
def reply_approve(request, pk):
    reply = get_object_or_404(ThemeReply.objects.select_related("theme"), pk=pk)
    with refusal_as_message(request):
        replies.approve(reply, by=request.user)
        messages.success(request, _("Approved: the answer is being sent to every open request of the theme."))
    return redirect(reply.theme)


@manager_required
@require_POST
def reply_discard(request, pk):
    reply = get_object_or_404(ThemeReply.objects.select_related("theme"), pk=pk)
    with refusal_as_message(request):
        reply.discard(by=request.user)
        messages.success(request, _("Draft discarded."))
    return redirect(reply.theme)
