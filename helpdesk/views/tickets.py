from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.models import InvalidTransition, Notification, Ticket
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
            "notifications": ticket.notifications.order_by("created_at", "pk"),
        },
    )


@agent_required
@require_POST
def retry_notification(request, reference, pk):
    """Send a failed or bounced message again: one more attempt of the same message."""
    notification = get_object_or_404(Notification, pk=pk, ticket__reference=reference)
    try:
        notification.retry(by=request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        text = _("The message to %(email)s will be sent again.") % {"email": notification.to_email}
        messages.success(request, text)
    return redirect("helpdesk:ticket-detail", reference=reference)
