"""Messages to customers and managers about compensation, through the helpdesk outbox.

Each goes through helpdesk.mail.outbox.write: rendered in the customer's language, written in the
transaction of the decision, delivered by the worker.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from helpdesk.mail import outbox
from helpdesk.models import Notification
from helpdesk.models.staff import staff_language


def compensation_decided(proposal) -> Notification | None:
    """Approved (by a manager or on the spot) or rejected: the customer hears it either way."""
    ticket = proposal.ticket
    if not ticket.customer.email:
        return None
    template = (
        "compensation_rejected" if proposal.state == proposal.State.REJECTED else "compensation_approved"
    )
    context = {"ticket": ticket, "proposal": proposal, "status_url": outbox.status_url(ticket)}
    return outbox.write(
        ticket, Notification.Kind.STATUS, template, context, in_reply_to=outbox.original_message_id(ticket)
    )


def tell_manager_of_handover(proposal) -> None:
    """Staff mail to the manager an overdue proposal was handed over to, sent after the handover
    is committed; the queue page is the record."""
    manager = proposal.decider
    if manager is None or not manager.email:
        return
    context = {
        "proposal": proposal,
        "manager": manager,
        "queue_url": settings.SITE_URL + "/crisis/compensation/?overdue=1",
    }
    with translation.override(staff_language(manager)):
        subject = " ".join(render_to_string("emails/compensation_handed_over_subject.txt", context).split())
        body = render_to_string("emails/compensation_handed_over_body.txt", context).strip() + "\n"
    EmailMessage(f"[#{proposal.ticket.reference}] {subject}", body, to=[manager.email]).send(
        fail_silently=True
    )
