"""A record of who looked: every view of a request or a customer's page, every search of
customers and every export is written here (README, "Personal data"). One INSERT per look."""

from __future__ import annotations

from helpdesk.models import AccessRecord, Customer, Ticket

Kind = AccessRecord.Kind


def record_access(
    by, kind: str, *, ticket: Ticket | None = None, customer: Customer | None = None, detail: str = ""
) -> None:
    """`by` looked at `ticket` (and so at its customer), at `customer`, or searched or exported
    (`detail`: what was searched for, or what was exported)."""
    AccessRecord.objects.create(
        staff=by,
        kind=kind,
        ticket=ticket,
        customer_id=customer.pk if customer else ticket.customer_id if ticket else None,
        detail=detail[: AccessRecord._meta.get_field("detail").max_length],
    )


def record_for_customer(customer: Customer):
    return AccessRecord.objects.filter(customer=customer).latest_first()


def record_by_staff(user):
    return AccessRecord.objects.filter(staff=user).latest_first()
