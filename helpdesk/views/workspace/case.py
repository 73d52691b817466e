"""Moving the case on: summary, next steps, status, priority, owner, escalation, complaint."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.forms.workspace import (
    AssignForm,
    EscalateForm,
    NextStepForm,
    PriorityForm,
    StatusForm,
    SummaryForm,
)
from helpdesk.models import InvalidTransition
from helpdesk.roles import agent_required
from helpdesk.views.workspace.page import render_workspace, workspace_ticket


def refused(request, ticket, error, **forms):
    """The ticket's state does not allow it: say why, keep what was typed."""
    messages.error(request, str(error))
    return render_workspace(request, ticket, status=409, **forms)


@agent_required
@require_POST
def write_summary(request, reference):
    ticket = workspace_ticket(reference)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, summary_form=form)
    ticket.write_summary(by=request.user, text=form.cleaned_data["summary"])
    messages.success(request, _("Summary saved: the customer is asked to confirm it on the status page."))
    return redirect(ticket)


@agent_required
@require_POST
def add_next_step(request, reference):
    ticket = workspace_ticket(reference)
    form = NextStepForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, next_step_form=form)
    try:
        ticket.add_next_step(by=request.user, **form.cleaned_data)
    except InvalidTransition as error:
        return refused(request, ticket, error, next_step_form=form)
    messages.success(request, _("Next step added; the customer sees it on the status page."))
    return redirect(ticket)


@agent_required
@require_POST
def complete_next_step(request, reference, pk):
    ticket = workspace_ticket(reference)
    step = get_object_or_404(ticket.next_steps, pk=pk)
    try:
        ticket.complete_next_step(step, by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    return redirect(ticket)


@agent_required
@require_POST
def change_status(request, reference):
    ticket = workspace_ticket(reference)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, status_form=form)
    try:
        ticket.move_to(form.cleaned_data["status"], by=request.user, message=form.cleaned_data["message"])
    except InvalidTransition as error:
        return refused(request, ticket, error, status_form=form)
    messages.success(request, _("Status changed to “%(status)s”.") % {"status": ticket.get_status_display()})
    return redirect(ticket)


@agent_required
@require_POST
def change_priority(request, reference):
    ticket = workspace_ticket(reference)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, priority_form=form)
    try:
        ticket.change_priority(form.cleaned_data["priority"], by=request.user)
    except InvalidTransition as error:
        return refused(request, ticket, error, priority_form=form)
    messages.success(request, _("Priority changed; the due times follow the queue's targets for it."))
    return redirect(ticket)


@agent_required
@require_POST
def reassign(request, reference):
    ticket = workspace_ticket(reference)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, assign_form=form)
    try:
        ticket.reassign(form.cleaned_data["assignee"], by=request.user)
    except InvalidTransition as error:
        return refused(request, ticket, error, assign_form=form)
    messages.success(request, _("Assignment changed."))
    return redirect(ticket)


@agent_required
@require_POST
def escalate(request, reference):
    ticket = workspace_ticket(reference)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, escalate_form=form)
    try:
        ticket.escalate(by=request.user, reason=form.cleaned_data["reason"])
    except InvalidTransition as error:
        return refused(request, ticket, error, escalate_form=form)
    messages.success(request, _("Escalated: the queue's manager will see it on their list."))
    return redirect(ticket)


@agent_required
@require_POST
def mark_complaint(request, reference):
    ticket = workspace_ticket(reference)
    try:
        ticket.mark_as_complaint(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as a complaint: it joins the recurring-complaint themes."))
    return redirect(ticket)
