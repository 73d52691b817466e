"""How a customer without an account finds their requests again, and writes to one.

The lookup by reference and email answers "not found" the same way whichever of the two is
wrong, after the same database query and the same hashing, so that neither the answer nor its
timing tells a stranger whether a reference exists or an address is ours. Requests to email a
customer their links are handled by the worker, so the answer on screen (and its timing) is
the same for an address we know and one we do not.
"""

from __future__ import annotations

import hmac
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import rate_limits
from helpdesk.intake import IncomingAttachment, store_attachment
from helpdesk.mail import outbox
from helpdesk.models import Channel, Customer, InvalidTransition, Ticket, TicketEntry
from helpdesk.rate_limits import Limit, RetryAt, address_key
from helpdesk.references import normalise_reference

logger = logging.getLogger(__name__)

LOOKUP_WINDOW = timedelta(minutes=15)
LINKS_WINDOW = timedelta(hours=1)
# Closed requests whose links we still send: the customer may want to reopen one.
RECENT = timedelta(days=30)
MOST_LINKS = 20


# --- limits ----------------------------------------------------------------------------------


def take_lookup(ip: str, *, now: datetime) -> RetryAt | None:
    limit = Limit("status-lookup-ip", ip, settings.STATUS_LOOKUP_LIMIT_PER_IP, LOOKUP_WINDOW)
    return rate_limits.refused(limit, now=now)


def take_links(ip: str, email: str, *, now: datetime) -> RetryAt | None:
    return rate_limits.refused(
        Limit("status-links-ip", ip, settings.STATUS_LINKS_LIMIT_PER_IP, LINKS_WINDOW),
        Limit("status-links-email", address_key(email), settings.STATUS_LINKS_LIMIT_PER_EMAIL, LINKS_WINDOW),
        now=now,
    )


# --- the lookup ------------------------------------------------------------------------------

# Hashed and compared when no ticket has the reference, so that case does exactly the same work.
_NO_ADDRESS = "no ticket has this reference"


def look_up(*, reference: str, email: str) -> Ticket | None:
    """The ticket with this reference whose customer has this email address, else None.

    Counted first, by take_lookup()."""
    ticket = (
        Ticket.objects.select_related("customer").filter(reference=normalise_reference(reference)).first()
    )
    stored = ticket.customer.email if ticket is not None else _NO_ADDRESS
    matches = hmac.compare_digest(address_key(stored), address_key(email))
    return ticket if matches and ticket is not None and stored else None


# --- status links by email -------------------------------------------------------------------


def request_status_links(*, email: str) -> None:
    """Hands the request to the worker, whether or not we know the address (counted first, by
    take_links())."""
    transaction.on_commit(lambda: _enqueue_status_links(email.strip()), robust=True)


def _enqueue_status_links(email: str) -> None:
    from django_q.tasks import async_task

    try:
        async_task("helpdesk.tasks.send_status_links", email, task_name="status-links")
    except Exception:  # the broker is down: the customer can ask again, and is told nothing else
        logger.exception("status links not enqueued")


def tickets_to_link(customer: Customer):
    """A customer's open requests and those closed recently, newest first."""
    since = timezone.now() - RECENT
    return (
        customer.tickets.filter(merged_into__isnull=True)
        .filter(
            ~Q(status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED])
            | Q(resolved_at__gte=since)
            | Q(closed_at__gte=since)
        )
        .order_by("-created_at")[:MOST_LINKS]
    )


def send_status_links(email: str) -> str:
    """Run by the worker: email the customer the links of their requests, if we know them."""
    customer = Customer.objects.alias(address=Lower("email")).filter(address=email.strip().lower()).first()
    if customer is None:
        return "unknown address"
    tickets = list(tickets_to_link(customer))
    if not tickets:
        return "no open or recent requests"
    with transaction.atomic():
        outbox.status_links(customer, tickets)
    return f"{len(tickets)} link(s)"


# --- writing on the status page --------------------------------------------------------------


def reply_from_status_page(
    ticket: Ticket, *, body: str, attachments: list[IncomingAttachment]
) -> TicketEntry:
    """The customer's message joins the timeline (waking a waiting or closed request)."""
    if ticket.merged_into_id:
        raise InvalidTransition(_("This request was joined with another one: please use that one."))
    with transaction.atomic():
        entry = ticket.receive_customer_message(body=body.strip(), channel=Channel.WEB)
        for attachment in attachments:
            store_attachment(entry, attachment)
    return entry
