"""Erasing a customer: every app's part, then the helpdesk's, in one transaction.

The rules of what goes and what stays live in the models (`Customer.erase`,
`Ticket.erase_personal_data`, and each app's eraser behind `hooks.PERSONAL_DATA_ERASURE`); this
module only runs them together. The customer row stays, pseudonymised ("erased customer #12"),
because the requests, the books and the audit trail refer to it by its key.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from helpdesk import hooks
from helpdesk.models import Customer, Ticket
from helpdesk.models.ticket import ENDED_STATUSES


def erase_customer(customer: Customer) -> dict[str, int]:
    """Erase the person's personal data everywhere; returns how many of each thing were erased.
    Erasing an erased customer again changes nothing that matters and is harmless."""
    counts: Counter[str] = Counter()
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        for eraser in hooks.PERSONAL_DATA_ERASURE.entries():
            counts.update(eraser(customer))
        counts.update(customer.erase())
    return dict(counts)


def erase_ended_request(ticket: Ticket) -> bool:
    """The retention policy's anonymisation of one request closed long ago: every app's part of
    it, then the request's own, as an erasure does, while the customer and their other requests
    keep theirs. Never an open request; of two runs at once, the second finds it done (the row
    is locked, then read again). True when this call anonymised it."""
    with transaction.atomic():
        still_due = Ticket.objects.select_for_update().filter(
            pk=ticket.pk, status__in=ENDED_STATUSES, personal_data_erased_at__isnull=True
        )
        if not list(still_due.values_list("pk", flat=True)):
            return False
        for eraser in hooks.REQUEST_PERSONAL_DATA_ERASURE.entries():
            eraser(ticket)
        ticket.erase_personal_data()
    return True
