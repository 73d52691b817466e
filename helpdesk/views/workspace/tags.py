"""Tags on a ticket: put one on, take one off; each change is on the timeline."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.forms.workspace import TagForm
from helpdesk.roles import agent_required
from helpdesk.views.transitions import refusal_as_message
from helpdesk.views.workspace.page import change_with_form, workspace_ticket


@agent_required
@require_POST
def add_tag(request, reference):
    def change(ticket, form):
        tag = ticket.add_tag(form.cleaned_data["name"], by=request.user)
        return _("Tag “%(tag)s” added.") % {"tag": tag.name}

    return change_with_form(request, reference, TagForm, "tag_form", change)


@agent_required
@require_POST
def remove_tag(request, reference, pk):
    ticket = workspace_ticket(reference)
    tag = get_object_or_404(ticket.tags, pk=pk)
    with refusal_as_message(request):
        ticket.remove_tag(tag, by=request.user)
        messages.success(request, _("Tag “%(tag)s” taken off.") % {"tag": tag.name})
    return redirect(ticket)
