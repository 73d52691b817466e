"""Whether a ticket had compensation, asked of the crisis app without depending on its models.

The compensation proposals live in crisis (crisis.CompensationProposal). Looked up through the
app registry, so a deployment without them (or a branch built before them) simply never asks
"Did you receive it?".
"""

from django.apps import apps

# Proposal states in which the customer was promised something they should have received.
GRANTED_STATES = ("approved", "fulfilled")


def had_compensation(ticket) -> bool:
    if not apps.is_installed("crisis"):
        return False
    try:
        proposal = apps.get_model("crisis", "CompensationProposal")
    except LookupError:
        return False
    return proposal.objects.filter(ticket=ticket, status__in=GRANTED_STATES).exists()
