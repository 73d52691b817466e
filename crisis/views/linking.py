"""Linking requests to an incident: the suggestions in bulk, one request in one click."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from crisis import matching
from crisis.forms import BulkLinkForm, LinkTicketForm
from crisis.models import Incident, IncidentTicket
from helpdesk.models import Channel, Ticket
from helpdesk.roles import agent_required
from helpdesk.views.transitions import refusal_as_message


@agent_required
def suggestions(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    candidates = list(matching.suggestions(incident)[: matching.SUGGESTION_LIMIT])
    context = {"incident": incident, "candidates": candidates, "limit": matching.SUGGESTION_LIMIT}
    return render(request, "crisis/suggestions.html", context)


@agent_required
@require_POST
def link_bulk(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    chosen = request.POST.getlist("tickets")
    form = BulkLinkForm(request.POST, candidates=[int(value) for value in chosen if value.isdigit()])
    if not form.is_valid():
        messages.error(request, _("Please choose the requests to link."))
        return redirect("crisis:suggestions", pk=pk)
    # Only what is still suggested: a request linked meanwhile, or closed, is not linked again.
    tickets = matching.suggestions(incident).filter(pk__in=form.cleaned_data["tickets"])
    with refusal_as_message(request):
        count = incident.link_many(
            Ticket.objects.filter(pk__in=tickets.values("pk")), via=IncidentTicket.Via.BULK, by=request.user
        )
        messages.success(
            request,
            ngettext("%(count)d request linked.", "%(count)d requests linked.", count) % {"count": count},
        )
    return redirect("crisis:suggestions", pk=pk)


@agent_required
@require_POST
def link_ticket(request, pk):
    """One click from the ticket workspace or right after logging a call."""
    incident = get_object_or_404(Incident, pk=pk)
    form = LinkTicketForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose the requests to link."))
        return redirect(incident)
    ticket = get_object_or_404(Ticket, reference=form.cleaned_data["reference"])
    via = IncidentTicket.Via.CALL if ticket.channel == Channel.PHONE else IncidentTicket.Via.AGENT
    with refusal_as_message(request):
        incident.link(ticket, via=via, by=request.user)
        messages.success(
            request,
            _("%(reference)s is linked to %(incident)s; the customer will hear of every update.")
            % {"reference": ticket.reference, "incident": incident.title},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(ticket)
