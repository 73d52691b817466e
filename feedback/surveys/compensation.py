"""Whether a ticket had compensation the customer should have received (crisis proposals).

Approved proposals (by a manager, or granted on the spot within an agent's limit) and fulfilled
ones count; pending, rejected and withdrawn ones promised nothing.
"""

from crisis.models import CompensationProposal

GRANTED_STATES = (CompensationProposal.State.APPROVED, CompensationProposal.State.FULFILLED)


def had_compensation(ticket) -> bool:
    return CompensationProposal.objects.filter(ticket=ticket, state__in=GRANTED_STATES).exists()
