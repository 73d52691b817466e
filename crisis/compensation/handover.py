"""Overdue decisions are handed over: a proposal nobody decided in time goes to the next manager.

The worker's scan (crisis.tasks.hand_over_overdue_proposals, every five minutes) gives each
pending proposal past its deadline to the next manager in the chain, with a new deadline in the
queue's business time, and tells that manager. The proposal stays pending and shows as
overdue: the clock never approves anything. Each handover is claimed on the proposal
(CompensationProposal.hand_over), so two scans never hand one over twice.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from crisis.compensation import emails
from crisis.compensation.services import decide_by, manager_chain
from crisis.models import CompensationProposal


def hand_over_overdue(now: datetime | None = None, *, batch: int = 200) -> list[int]:
    """The worker's scan: each pending proposal past its deadline goes to the next manager,
    with a new deadline; it stays pending (never approved automatically) and shows overdue."""
    now = now or timezone.now()
    due = (
        CompensationProposal.objects.due_for_handover(now)
        .select_related("ticket__queue__calendar", "ticket__queue__manager", "incident", "proposed_by")
        .order_by("decide_by", "pk")[:batch]
    )
    handed_over = []
    for proposal in due:
        chain = manager_chain(proposal.ticket, proposal.incident, proposer=proposal.proposed_by)
        position = next((index for index, m in enumerate(chain) if m.pk == proposal.decider_id), -1)
        next_manager = chain[position + 1] if position + 1 < len(chain) else proposal.decider
        if proposal.hand_over(to=next_manager, now=now, decide_by=decide_by(proposal.ticket.queue, now)):
            handed_over.append(proposal.pk)
            emails.tell_manager_of_handover(proposal)
    return handed_over
