"""Talking to the customer and to colleagues: reply, internal note, and who else is here."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.forms.workspace import NoteForm, ReplyForm
from helpdesk.models import Ticket
from helpdesk.models.ticket_workspace import ReplyHeldBack
from helpdesk.roles import agent_required
from helpdesk.views.transitions import refusal_as_message
from helpdesk.views.workspace.page import change_with_form, render_workspace, workspace_ticket


@agent_required
@require_POST
def reply(request, reference):
    ticket = workspace_ticket(reference)
    form = ReplyForm(request.POST, request.FILES)
    # Files cannot be kept by a browser: a reply that comes back unsent says to choose them again.
    files_dropped = bool(request.FILES)
    if not form.is_valid():
        return render_workspace(request, ticket, reply_form=form, files_dropped=files_dropped)
    data = form.cleaned_data
    try:
        with refusal_as_message(request):
            ticket.reply(
                by=request.user,
                body=data["body"],
                seen_up_to=data["seen_up_to"],
                then=data["then"],
                attachments=data["attachments"],
                macro=data["macro"],
            )
            messages.success(request, _("Your reply is on its way to the customer."))
            return redirect(ticket)
    except ReplyHeldBack as held:
        # Nothing was sent: show the newer reply, keep the draft, and let the agent decide.
        newest = max(entry.pk for entry in held.newer_replies)
        kept = {name: value for name, value in data.items() if name != "attachments"}  # files cannot be kept
        draft = ReplyForm(initial={**kept, "seen_up_to": max(newest, data["seen_up_to"])})
        return render_workspace(
            request,
            ticket,
            status=409,
            held_back=held.newer_replies,
            reply_form=draft,
            files_dropped=files_dropped,
        )
    return render_workspace(request, ticket, status=409, reply_form=form, files_dropped=files_dropped)


@agent_required
@require_POST
def add_note(request, reference):
    def change(ticket, form):
        ticket.add_note(by=request.user, body=form.cleaned_data["body"])
        return _("Internal note added.")

    return change_with_form(request, reference, NoteForm, "note_form", change)


@agent_required
@require_POST
def presence(request, reference):
    """Polled by the page every ten seconds, pushed or not: this agent is here (and maybe
    typing); who else is? Presence lives in the cache and needs only the request's id: the whole
    workspace ticket (its joins and EXISTS) was half of this request's CPU, paid by every open
    ticket page every ten seconds."""
    ticket = get_object_or_404(Ticket.objects.only("pk"), reference=reference)
    ticket.mark_viewed_by(request.user, replying=request.POST.get("replying") == "1")
    return render(request, "helpdesk/partials/viewers.html", {"viewers": ticket.other_viewers(request.user)})
