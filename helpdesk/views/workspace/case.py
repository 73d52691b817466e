"""Moving the case on: summary, next steps, status, priority, owner, a manager's attention, complaint."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.forms.workspace import (
    AssignForm,
    AttentionRequestForm,
    NextStepForm,
    PriorityForm,
    StatusForm,
    SummaryForm,
)
from helpdesk.roles import agent_required
from helpdesk.views.transitions import refusal_as_message
from helpdesk.views.workspace.page import change_with_form, workspace_ticket


@agent_required
@require_POST
def write_summary(request, reference):
    def change(ticket, form):
        ticket.write_summary(by=request.user, text=form.cleaned_data["summary"])
        return _("Summary saved: the customer is asked to confirm it on the status page.")

    return change_with_form(request, reference, SummaryForm, "summary_form", change)


@agent_required
@require_POST
def add_next_step(request, reference):
    def change(ticket, form):
        ticket.add_next_step(by=request.user, **form.cleaned_data)
        return _("Next step added; the customer sees it on the status page.")

    return change_with_form(request, reference, NextStepForm, "next_step_form", change)


@agent_required
@require_POST
def complete_next_step(request, reference, pk):
    ticket = workspace_ticket(reference)
    step = get_object_or_404(ticket.next_steps, pk=pk)
    with refusal_as_message(request):
        ticket.complete_next_step(step, by=request.user)
    return redirect(ticket)


@agent_required
@require_POST
def change_status(request, reference):
    def change(ticket, form):
        ticket.move_to(form.cleaned_data["status"], by=request.user, message=form.cleaned_data["message"])
        return _("Status changed to “%(status)s”.") % {"status": ticket.get_status_display()}

    return change_with_form(request, reference, StatusForm, "status_form", change)


@agent_required
@require_POST
def change_priority(request, reference):
    def change(ticket, form):
        ticket.change_priority(form.cleaned_data["priority"], by=request.user)
        return _("Priority changed; the due times follow the queue's targets for it.")

    return change_with_form(request, reference, PriorityForm, "priority_form", change)


@agent_required
@require_POST
def reassign(request, reference):
    def change(ticket, form):
        ticket.reassign(form.cleaned_data["assignee"], by=request.user)
        return _("Assignment changed.")

    return change_with_form(request, reference, AssignForm, "assign_form", change)


@agent_required
@require_POST
def request_attention(request, reference):
    def change(ticket, form):
        ticket.request_attention(by=request.user, reason=form.cleaned_data["reason"])
        return _("Escalated: the queue's manager will see it on their list.")

    return change_with_form(request, reference, AttentionRequestForm, "attention_form", change)


@agent_required
@require_POST
def mark_complaint(request, reference):
    ticket = workspace_ticket(reference)
    with refusal_as_message(request):
        ticket.mark_as_complaint(by=request.user)
        messages.success(request, _("Marked as a complaint: it joins the recurring-complaint themes."))
    return redirect(ticket)
