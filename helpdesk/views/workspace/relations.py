"""Duplicates and relatives: merge a ticket into another, link related tickets."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.forms.workspace import LinkForm, MergeForm
from helpdesk.models import InvalidTransition
from helpdesk.roles import agent_required
from helpdesk.views.workspace.page import change_with_form, refused, render_workspace, workspace_ticket


@agent_required
@require_POST
def merge(request, reference):
    ticket = workspace_ticket(reference)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, merge_form=form)
    try:
        ticket.merge_into(form.ticket, by=request.user)
    except InvalidTransition as error:
        return refused(request, ticket, error, merge_form=form)
    messages.success(
        request,
        _("Merged into %(reference)s; this request is closed.") % {"reference": form.ticket.reference},
    )
    return redirect(form.ticket)


@agent_required
@require_POST
def link(request, reference):
    def change(ticket, form):
        ticket.link(form.ticket, by=request.user)
        return _("Linked to %(reference)s.") % {"reference": form.ticket.reference}

    return change_with_form(request, reference, LinkForm, "link_form", change)
