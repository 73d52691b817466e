from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk import agent_alerts
from helpdesk.models import Notification
from helpdesk.personal_data.access import Kind, record_access
from helpdesk.roles import agent_required
from helpdesk.views.transitions import refusal_as_message
from helpdesk.views.workspace.page import render_workspace, workspace_ticket


@agent_required
def ticket_detail(request, reference):
    """The agent's workspace on one ticket: timeline, reply, notes, summary, next steps, actions."""
    ticket = workspace_ticket(reference)
    record_access(request.user, Kind.OPENED_TICKET, ticket=ticket)
    agent_alerts.ticket_opened(ticket, by=request.user)
    return render_workspace(request, ticket)


@agent_required
@require_POST
def retry_notification(request, reference, pk):
    """Send a failed or bounced message again: one more attempt of the same message."""
    notification = get_object_or_404(Notification, pk=pk, ticket__reference=reference)
    with refusal_as_message(request):
        notification.retry(by=request.user)
        text = _("The message to %(email)s will be sent again.") % {"email": notification.to_email}
        messages.success(request, text)
    return redirect("helpdesk:ticket-detail", reference=reference)
