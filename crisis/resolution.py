"""After the final statement: the linked requests are settled and the other apps are told.

Runs in the worker (an incident may have thousands of linked requests), after the final
statement was written to every recipient's outbox. Each ticket changes through its own model
method, so its timeline says why. The signal goes out once: the claim on `tickets_settled_at`.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from crisis import hooks
from crisis.models import IncidentEvent, IncidentUpdate
from helpdesk.models import InvalidTransition, Ticket


def linked_tickets(incident):
    return Ticket.objects.filter(incident_links__incident=incident)


def settle_linked_tickets(update: IncidentUpdate) -> int:
    incident, by = update.incident, update.reviewed_by
    tickets = linked_tickets(incident)
    changed = 0
    note = gettext("Incident resolved: %(title)s") % {"title": incident.title}
    if update.ticket_action == IncidentUpdate.TicketAction.RESOLVE:
        for ticket in tickets.open().select_related("queue__calendar").iterator(chunk_size=500):
            changed += _settle(ticket.resolve, by=by, note=note)
    elif update.ticket_action == IncidentUpdate.TicketAction.REOPEN:
        settled = tickets.filter(status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED])
        for ticket in settled.select_related("queue__calendar").iterator(chunk_size=500):
            changed += _settle(ticket.reopen, by=by)
    with transaction.atomic():
        claimed = IncidentUpdate.objects.filter(pk=update.pk, tickets_settled_at__isnull=True).update(
            tickets_settled_at=timezone.now()
        )
        if claimed:
            incident.events.create(
                actor=by, kind=IncidentEvent.Kind.TICKETS_SETTLED, text=f"{update.ticket_action}: {changed}"
            )
            hooks.INCIDENT_RESOLVED.call_on_commit(incident, linked_tickets(incident))
    return changed


def _settle(transition, **arguments) -> int:
    """One linked request; an agent who changed it meanwhile keeps their change."""
    try:
        transition(**arguments)
    except InvalidTransition:
        return 0
    return 1
