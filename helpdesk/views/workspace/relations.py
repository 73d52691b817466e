"""Duplicates and relatives: merge a ticket into another, link related tickets."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.forms.workspace import LinkForm, MergeConfirmationForm, MergeForm
from helpdesk.roles import agent_required
from helpdesk.views.transitions import refusal_as_message
from helpdesk.views.workspace.page import change_with_form, render_workspace, workspace_ticket


@agent_required
@require_POST
def merge(request, reference):
    ticket = workspace_ticket(reference)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, merge_form=form)
    with refusal_as_message(request):
        if not form.cleaned_data["confirmed"]:
            # A merge closes the request for good: the agent sees both requests and confirms.
            ticket.check_merge_into(form.ticket)
            context = {
                "ticket": ticket,
                "target": form.ticket,
                "form": MergeConfirmationForm(target=form.ticket),
            }
            return render(request, "helpdesk/ticket_merge_confirm.html", context)
        ticket.merge_into(form.ticket, by=request.user)
        messages.success(
            request,
            _("Merged into %(reference)s; this request is closed.") % {"reference": form.ticket.reference},
        )
        return redirect(form.ticket)
    return render_workspace(request, ticket, status=409, merge_form=form)


@agent_required
@require_POST
def link(request, reference):
    def change(ticket, form):
        ticket.link(form.ticket, by=request.user)
        return _("Linked to %(reference)s.") % {"reference": form.ticket.reference}

    return change_with_form(request, reference, LinkForm, "link_form", change)
