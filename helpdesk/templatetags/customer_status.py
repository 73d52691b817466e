"""How the customer's status page words a timeline event."""

from django import template
from django.utils.translation import gettext

from helpdesk.models import Channel, Ticket, TicketEntry

register = template.Library()


@register.filter
def customer_event(entry: TicketEntry) -> str:
    Event = TicketEntry.Event
    if entry.event == Event.STATUS_CHANGED and entry.data.get("by_customer"):
        return gettext("You closed this request.")
    if entry.event == Event.STATUS_CHANGED:
        to = entry.data.get("to", "")
        label = Ticket.Status(to).label if to in Ticket.Status.values else to
        return gettext("Status changed to “%(status)s”.") % {"status": label}
    if entry.event == Event.WALK_IN_CALLED:
        text = gettext("Your number %(number)s was called to desk %(desk)s.")
        return text % {"number": entry.data.get("number", ""), "desk": entry.data.get("desk", "")}
    if entry.event == Event.WALK_IN_NO_SHOW:
        text = gettext("We called your number %(number)s but could not find you. Please check in again.")
        return text % {"number": entry.data.get("number", "")}
    texts = {
        Event.CREATED: gettext("We received your request."),
        Event.SUMMARY_CONFIRMED: gettext("You confirmed our summary of the problem."),
        Event.SUMMARY_CORRECTED: gettext("You asked us to correct our summary of the problem."),
        Event.NEXT_STEP: gettext("We set a next step (see above)."),
        Event.MERGED: gettext("We joined this with another of your requests."),
    }
    return texts.get(entry.event, entry.get_event_display())


@register.filter
def customer_message_label(entry: TicketEntry) -> str:
    """Who wrote a customer's message down: they did, or an agent who heard them (a call, a visit)."""
    if entry.author_id is None:
        return gettext("You wrote")
    name = entry.author.first_name or gettext("Customer service")
    if entry.channel == Channel.PHONE:
        return gettext("Your call, as noted by %(name)s") % {"name": name}
    if entry.channel == Channel.WALK_IN:
        return gettext("Your visit, as noted by %(name)s") % {"name": name}
    return gettext("Your message, as noted by %(name)s") % {"name": name}
