"""Changing many tickets at once (the queue page's bulk actions).

Each ticket changes through its own model method, so each is guarded by its current state and
leaves its own timeline row; a ticket that cannot take the change is skipped and counted. Each
customer gets at most one message for the whole change. Up to IN_REQUEST_LIMIT tickets the
change is made in the request; more go to the worker, which reports its progress on the row.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from helpdesk import live
from helpdesk.forms.queue import QueueFilterForm
from helpdesk.models import BulkChange, InvalidTransition, Ticket
from helpdesk.queue import line

logger = logging.getLogger(__name__)

IN_REQUEST_LIMIT = 100
BATCH = 25  # tickets read, and progress written, at a time


def served_tickets(agent):
    """The tickets an agent may change in bulk: those of the queues they serve."""
    return Ticket.objects.filter(queue__in=line.queues_served_by(agent))


def matching_ids(agent, query_string: str) -> list[int]:
    """Every ticket the queue page lists for this filter (all its pages), in queue order."""
    queues = list(line.queues_served_by(agent))
    form = QueueFilterForm(QueryDict(query_string), queues=queues)
    tickets = form.filter(Ticket.objects.filter(queue__in=queues).in_queue_order(), agent=agent)
    return list(tickets.values_list("pk", flat=True))


def chosen_ids(agent, ids: list[int]) -> list[int]:
    """The ticked tickets that this agent may change (others are ignored, never revealed)."""
    return list(served_tickets(agent).filter(pk__in=ids).in_queue_order().values_list("pk", flat=True))


def start(*, by, kind: str, value: str, message: str, ticket_ids: list[int]) -> BulkChange:
    """Records the change; makes it now, or hands it to the worker after commit."""
    change = BulkChange.objects.create(
        kind=kind,
        value=value,
        message=message.strip(),
        requested_by=by,
        ticket_ids=ticket_ids,
        total=len(ticket_ids),
    )
    if len(ticket_ids) <= IN_REQUEST_LIMIT:
        run(change.pk)
        change.refresh_from_db()
    else:
        transaction.on_commit(lambda: _enqueue(change.pk), robust=True)
    return change


def _enqueue(change_id: int) -> None:
    from django_q.tasks import async_task

    try:
        async_task("helpdesk.tasks.run_bulk_change", change_id, task_name=f"bulk-change-{change_id}")
    except Exception:  # the broker refused: the row stays pending, and the agent's page says so
        logger.exception("bulk change %s not enqueued", change_id)


def run(change_id: int) -> str:
    """Makes the change to every ticket not yet done; does nothing while another run holds it.

    A batch's changes and its progress are one transaction: a run that dies mid-batch leaves the
    batch unchanged, and the next run (a retry, or `resume_stalled`) starts at that batch. The
    customers are told at the end, in the transaction that marks the change done, so once."""
    change = BulkChange.objects.select_related("requested_by").get(pk=change_id)
    if not change.claim():
        return "already taken"
    apply = _change_function(change)
    try:
        while ids := change.next_ticket_ids(BATCH):
            with transaction.atomic(), live.told_once():  # each queue's pages told once a batch
                changed, skipped = _change_batch(apply, ids)
                change.record_progress(changed=changed, skipped=skipped)
                live.publish(change.live_channel, "progress")
        with transaction.atomic():
            if not change.finish():
                raise BulkChange.TakenOver
            _tell_customers(change)
            live.publish(change.live_channel, "done")
    except BulkChange.TakenOver:
        return "continued by another run"
    return f"{change.changed} changed, {change.skipped} skipped"


def _change_batch(apply, ids: list[int]) -> tuple[list[int], list[str]]:
    tickets = Ticket.objects.select_related("customer", "queue__calendar").filter(pk__in=ids)
    changed, skipped = [], []
    for ticket in sorted(tickets, key=lambda t: ids.index(t.pk)):
        try:
            with transaction.atomic():
                apply(ticket)
        except InvalidTransition:
            skipped.append(ticket.reference)
        else:
            changed.append(ticket.pk)
    skipped += [f"#{pk}" for pk in set(ids) - {t.pk for t in tickets}]  # deleted meanwhile
    return changed, skipped


def resume_stalled() -> list[int]:
    """Hands every change whose run died (or whose task was lost) to the worker again."""
    stalled = list(BulkChange.objects.stalled(timezone.now()).values_list("pk", flat=True))
    for change_id in stalled:
        _enqueue(change_id)
    return stalled


def _change_function(change: BulkChange):
    by = change.requested_by
    if change.kind == BulkChange.Kind.STATUS:
        return lambda ticket: ticket.move_to(change.value, by=by, message=change.message, notify=False)
    if change.kind == BulkChange.Kind.PRIORITY:
        priority = int(change.value)

        def set_priority(ticket):
            if ticket.priority == priority:
                raise InvalidTransition("already that priority")
            ticket.change_priority(priority, by=by)

        return set_priority
    if change.kind == BulkChange.Kind.TAG:
        return lambda ticket: ticket.add_tag(change.value, by=by)
    if change.kind == BulkChange.Kind.MERGE:
        target = Ticket.objects.select_related("customer").get(pk=change.value)
        return lambda ticket: ticket.merge_into(target, by=by)
    agent = get_user_model().objects.get(pk=change.value) if change.value else None
    return lambda ticket: ticket.reassign(agent, by=by)


def _tell_customers(change: BulkChange) -> None:
    """One message per customer for the whole change, where a single change would send one."""
    from helpdesk.mail import outbox

    if change.kind != BulkChange.Kind.STATUS or change.value not in (
        Ticket.Status.WAITING,
        Ticket.Status.RESOLVED,
    ):
        return
    order = {pk: position for position, pk in enumerate(change.changed_ids)}
    tickets = sorted(
        Ticket.objects.select_related("customer").filter(pk__in=change.changed_ids), key=lambda t: order[t.pk]
    )
    changed_by_customer = defaultdict(list)
    for ticket in tickets:
        changed_by_customer[ticket.customer].append(ticket)
    for customer, tickets in changed_by_customer.items():
        if not customer.email:
            continue
        if len(tickets) == 1:
            outbox.status_changed(tickets[0], message=change.message)
        else:
            outbox.status_changed_for_many(customer, tickets, message=change.message)
