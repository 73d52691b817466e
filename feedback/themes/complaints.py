"""Complaints into themes: what the worker does with each complaint.

`group_complaint(ticket_id)` runs once per complaint (enqueued when one arrives or an agent
marks a ticket as a complaint; the catch-up scan finds any that were missed). It puts the
complaint in a theme, then asks whether that theme is now a recurring complaint
(feedback.themes.recurring_complaints).
"""

from __future__ import annotations

import logging

from django.db import connection, transaction

from feedback.models import ThemeMembership
from feedback.themes import grouping, recurring_complaints
from feedback.themes.store import DatabaseStore
from helpdesk.models import Ticket, TicketEntry

logger = logging.getLogger(__name__)

# How much of a complaint is compared: the subject and the start of the customer's message.
TEXT_LIMIT = 1000
CATCH_UP_BATCH = 500
# One grouping at a time: two complaints of a new theme arriving together must not start two
# themes, and a theme's centroid must not lose an update (a transaction-level advisory lock).
GROUPING_LOCK = 7_070_007


def complaint_text(ticket: Ticket) -> str:
    first = (
        ticket.entries.filter(kind=TicketEntry.Kind.MESSAGE)
        .order_by("created_at", "pk")
        .values_list("body", flat=True)
        .first()
    )
    return f"{ticket.subject}\n{first or ''}"[:TEXT_LIMIT]


def group_complaint(ticket_id: int) -> ThemeMembership | None:
    """Put one complaint in its theme; None when it is not a complaint or already grouped."""
    ticket = Ticket.objects.filter(pk=ticket_id, is_complaint=True).first()
    if ticket is None:
        return None
    recurring_complaint = None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GROUPING_LOCK])
        if ThemeMembership.objects.filter(ticket_id=ticket_id).exists():
            return None
        store = DatabaseStore(title=ticket.subject, at=ticket.created_at)
        # The ticket's language (what the customer chose to write in) says which language the
        # complaint leans towards: themes in other languages are compared by meaning alone.
        assignment = grouping.assign(
            store, complaint_text(ticket), ticket.category_id, language=ticket.language
        )
        membership = ThemeMembership.objects.create(
            ticket=ticket,
            theme_id=assignment.theme_id,
            customer_id=ticket.customer_id,
            channel=ticket.channel,
            complained_at=ticket.created_at,
            similarity=round(assignment.similarity, 4),
        )
        recurring_complaint = recurring_complaints.raise_if_recurring(membership.theme)
    if recurring_complaint is not None:
        # Committed first: a slow mail server never holds the lock or undoes the recurring complaint.
        recurring_complaints.tell_managers(recurring_complaint)
    return membership


def ungrouped_complaints():
    return Ticket.objects.filter(is_complaint=True, theme_membership__isnull=True).order_by("pk")


def group_missed_complaints(*, batch: int = CATCH_UP_BATCH) -> int:
    """The catch-up scan: complaints whose task was lost (worker down, broker refused)."""
    ids = list(ungrouped_complaints().values_list("pk", flat=True)[:batch])
    return sum(1 for ticket_id in ids if group_complaint(ticket_id) is not None)
