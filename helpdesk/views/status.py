from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from helpdesk.expectations import expected_first_response
from helpdesk.models import Ticket


@never_cache
def status_page(request, token):
    """The customer's view of one request, reached only through its unguessable link."""
    ticket = get_object_or_404(
        Ticket.objects.select_related("queue__calendar", "category"), status_token=token
    )
    entries = ticket.entries.filter(is_public=True).exclude(kind="event").prefetch_related("attachments")
    response = render(
        request,
        "helpdesk/status.html",
        {"ticket": ticket, "entries": entries, "expected": expected_first_response(ticket)},
    )
    response["Referrer-Policy"] = "no-referrer"
    return response
