"""What crisis holds about a customer, for their export and their erasure (helpdesk.hooks).

Compensation stays through an erasure: the books need the amounts and the decisions, and the
proposals refer to the person only through their request. The audit trail refers to people by
keys only (a request's reference, staff usernames), so it stays as it was, append-only.
"""

from __future__ import annotations

from django.db.models import Q

from crisis.models import Subscription, UpdateRecipient


def erase(customer) -> dict[str, int]:
    received = Q(customer=customer) | Q(ticket__customer=customer)
    subscriptions = Subscription.objects.none()
    if customer.email:
        received |= Q(email=customer.email.lower())
        subscriptions = Subscription.objects.filter(email=customer.email.lower())
    return {
        "subscriptions": subscriptions.erase_personal_data(),
        "incident updates received": UpdateRecipient.objects.filter(received).erase_personal_data(),
    }


def erase_request(ticket) -> dict[str, int]:
    """One closed request anonymised by the retention policy: the addresses the updates about it
    went to. Subscriptions belong to the person, not the request, and stay."""
    return {"incident updates received": UpdateRecipient.objects.filter(ticket=ticket).erase_personal_data()}


def export(customer) -> list:
    from crisis.models import CompensationProposal
    from helpdesk.hooks import PersonalDataSection

    subscriptions = Subscription.objects.none()
    if customer.email:
        subscriptions = Subscription.objects.filter(email=customer.email.lower()).select_related("incident")
    proposals = CompensationProposal.objects.filter(ticket__customer=customer).select_related(
        "ticket", "incident"
    )
    return [
        PersonalDataSection(
            "incident_update_subscriptions",
            [
                {
                    "incident": subscription.incident.title,
                    "email": subscription.email,
                    "confirmed_at": subscription.confirmed_at,
                    "unsubscribed_at": subscription.unsubscribed_at,
                }
                for subscription in subscriptions.order_by("created_at", "pk")
            ],
        ),
        PersonalDataSection(
            "compensation",
            [
                {
                    "request": proposal.ticket.reference,
                    "incident": proposal.incident.title,
                    "kind": proposal.kind,
                    "amount": proposal.amount,
                    "currency": proposal.currency,
                    "duration_days": proposal.duration_days,
                    "state": proposal.state,
                    "decided_at": proposal.decided_at,
                }
                for proposal in proposals.order_by("proposed_at", "pk")
            ],
        ),
    ]
