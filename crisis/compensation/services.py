"""Compensation workflows that span tickets, incidents, limits and managers.

The transitions of one proposal live on CompensationProposal; here are proposing (which needs
the agent's limit and the deciding manager), proposing for every linked ticket, and deciding in
bulk. The worker's handover of overdue proposals is crisis.compensation.handover.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis.models import CompensationProposal, GrantLimit, Incident, IncidentTicket
from helpdesk.models import InvalidTransition, Queue, Ticket
from helpdesk.roles import MANAGERS


@dataclass(frozen=True)
class Offer:
    """What an agent proposes, before it is a proposal."""

    kind: str
    amount: object = None  # Decimal
    currency: str = ""
    duration_days: int | None = None
    justification: str = ""
    policy: object = None


def decision_window() -> timedelta:
    return timedelta(hours=settings.COMPENSATION_DECISION_HOURS)


def decide_by(queue: Queue, start: datetime) -> datetime:
    """The deadline in the queue's business time: a weekend does not make a manager late."""
    return queue.calendar.calendar.add(start, decision_window())


def manager_chain(ticket: Ticket, incident: Incident, *, proposer) -> list:
    """Who decides, in order: the queue's manager, the manager who declared the incident, then
    every other manager. The proposer is never in it: nobody decides their own proposal."""
    managers = list(
        get_user_model().objects.filter(groups__name=MANAGERS, is_active=True).order_by("username").distinct()
    )
    by_pk = {manager.pk: manager for manager in managers}
    order = [ticket.queue.manager_id, incident.declared_by_id, *by_pk]
    chain = []
    for pk in dict.fromkeys(order):
        if pk in by_pk and pk != proposer.pk:
            chain.append(by_pk[pk])
    return chain


def may_grant_on_the_spot(proposal: CompensationProposal) -> bool:
    """Within the proposer's limit, counting what they already granted the same customer in the
    same incident (three 2,000 HUF credits are 6,000 HUF against the limit), and below the amount
    that needs two managers. The limit's row is locked until the grant commits, so two proposals
    at once cannot both fit into what is left of it."""
    limits = GrantLimit.objects.select_for_update().filter(
        agent=proposal.proposed_by, kind=proposal.kind, currency=proposal.currency
    )
    already = proposal.already_given(proposed_by=proposal.proposed_by, granted_on_the_spot=True)
    return any(limit.covers(proposal, already=already) for limit in limits) and not (
        proposal.needs_second_approval
    )


def _new_proposal(ticket, incident, offer: Offer, *, by, now, batch=None) -> CompensationProposal:
    return CompensationProposal(
        incident=incident,
        ticket=ticket,
        policy=offer.policy,
        kind=offer.kind,
        amount=offer.amount,
        currency=offer.currency if offer.amount is not None else "",
        duration_days=offer.duration_days if offer.amount is None else None,
        justification=offer.justification,
        proposed_by=by,
        proposed_at=now,
        batch=batch,
    )


def propose(*, ticket: Ticket, incident: Incident, offer: Offer, by) -> CompensationProposal:
    """One customer's compensation: granted on the spot within the agent's limit, else pending."""
    if not IncidentTicket.objects.filter(incident=incident, ticket=ticket).exists():
        raise InvalidTransition(_("The request is not linked to this incident."))
    now = timezone.now()
    proposal = _new_proposal(ticket, incident, offer, by=by, now=now)
    proposal.clean_value()
    with transaction.atomic():
        if may_grant_on_the_spot(proposal):
            proposal.grant_on_the_spot(by=by)
        else:
            chain = manager_chain(ticket, incident, proposer=by)
            proposal.submit(decider=chain[0] if chain else None, decide_by=decide_by(ticket.queue, now))
    return proposal


def propose_for_all_linked(*, incident: Incident, offer: Offer, by) -> list[CompensationProposal]:
    """The same offer for every linked ticket that has none of this kind yet.

    Always waits for a manager, even when one ticket's share is within the agent's limit: the
    limit is for a gesture to one customer, a whole incident's worth is management's decision.
    """
    now = timezone.now()
    already = CompensationProposal.objects.filter(incident=incident, kind=offer.kind).exclude(
        state__in=[CompensationProposal.State.REJECTED, CompensationProposal.State.WITHDRAWN]
    )
    tickets = list(
        Ticket.objects.filter(incident_links__incident=incident)
        .exclude(pk__in=already.values("ticket_id"))
        .select_related("queue__calendar", "queue__manager")
        .prefetch_related("queue__calendar__opening_hours", "queue__calendar__closures")
        .order_by("pk")
    )
    batch = uuid.uuid4()
    deadlines: dict[int, datetime] = {}
    deciders: dict[int, object] = {}
    proposals = []
    for ticket in tickets:
        if ticket.queue_id not in deadlines:
            deadlines[ticket.queue_id] = decide_by(ticket.queue, now)
            chain = manager_chain(ticket, incident, proposer=by)
            deciders[ticket.queue_id] = chain[0] if chain else None
        proposal = _new_proposal(ticket, incident, offer, by=by, now=now, batch=batch)
        proposal.clean_value()
        proposal.decider = deciders[ticket.queue_id]
        proposal.decide_by = deadlines[ticket.queue_id]
        proposals.append(proposal)
    return CompensationProposal.objects.submit_all(proposals, by=by, note=offer.justification)


@dataclass
class BulkOutcome:
    done: int = 0
    skipped: list[tuple[CompensationProposal, str]] = field(default_factory=list)


BULK_ACTIONS = ("approve", "reject", "fulfil", "mark_reviewed")


def decide_many(proposal_ids, *, action: str, by, note: str) -> BulkOutcome:
    """One transition on several proposals; each keeps its own rules (never one's own proposal),
    and those it refuses are reported, not failed silently."""
    if action not in BULK_ACTIONS:
        raise ValueError(action)
    outcome = BulkOutcome()
    proposals = CompensationProposal.objects.filter(pk__in=proposal_ids).select_related(
        "ticket__customer", "incident", "proposed_by", "decider"
    )
    for proposal in proposals.order_by("pk"):
        try:
            getattr(proposal, action)(by=by, note=note)
        except InvalidTransition as error:
            outcome.skipped.append((proposal, str(error)))
        else:
            outcome.done += 1
    return outcome
