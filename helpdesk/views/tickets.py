from django.shortcuts import get_object_or_404, render

from helpdesk.models import Ticket
from helpdesk.roles import agent_required


@agent_required
def ticket_detail(request, reference):
    """An agent's view of one ticket: the whole timeline (notes included) and its notifications."""
    ticket = get_object_or_404(
        Ticket.objects.select_related("customer", "queue", "category", "assignee"), reference=reference
    )
    return render(
        request,
        "helpdesk/ticket_detail.html",
        {
            "ticket": ticket,
            "entries": ticket.entries.select_related("author").prefetch_related("attachments"),
            "notifications": ticket.notifications.order_by("created_at"),
        },
    )
