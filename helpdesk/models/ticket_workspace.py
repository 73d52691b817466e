"""What an agent does with one ticket in the workspace: the transitions behind every button.

Mixed into Ticket. Each method guards the ticket's state, changes it, leaves a timeline row,
and writes what the customer must be told to the outbox (helpdesk.mail.outbox), in one transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk import presence
from helpdesk.models.errors import InvalidTransition
from helpdesk.models.staff import staff_name
from helpdesk.models.tags import Tag, normalise_tag
from helpdesk.models.timeline import Channel, TicketEntry
from helpdesk.models.workspace import AttentionRequest, CannedResponse, NextStep


class ReplyHeldBack(Exception):
    """Someone else answered the customer after this agent opened the ticket: nothing was sent."""

    def __init__(self, newer_replies):
        super().__init__("a newer reply exists")
        self.newer_replies = newer_replies


class TicketWorkspace:
    """Transitions of the agent workspace (a mixin of helpdesk.models.Ticket)."""

    # --- talking to the customer -----------------------------------------------------------

    def reply(
        self,
        *,
        by,
        body: str,
        seen_up_to: int | None = None,
        then: str = "",
        by_email: bool = True,
        data: dict | None = None,
        attachments=(),
        macro: CannedResponse | None = None,
    ) -> TicketEntry:
        """Answer the customer: on the status page always, by email when we have an address.

        `seen_up_to` is the newest entry the agent had on screen; if another agent replied
        since, nothing is sent (ReplyHeldBack) so the customer does not get two answers.
        `then` optionally moves the ticket on in the same step ("waiting" or "resolved").
        `by_email=False` for a live chat line: the customer reads it on the page as it arrives
        and gets the whole conversation by email when the chat ends.
        `attachments` (helpdesk.intake.IncomingAttachment, checked like a customer's files) go
        with the email and show on the status page.
        `macro`: the canned response the reply started from; its priority and tags go with it.
        """
        from helpdesk.intake import store_attachment  # intake imports the models
        from helpdesk.mail import outbox

        self._guard_workable()
        if then not in ("", self.Status.WAITING, self.Status.RESOLVED):
            raise InvalidTransition(_("A reply can only leave the request waiting or resolved."))
        with transaction.atomic():
            self.lock_current_status()
            self._guard_workable()
            if seen_up_to is not None:
                newer = list(self.newer_replies_than(seen_up_to, by=by))
                if newer:
                    raise ReplyHeldBack(newer)
            if macro is not None:
                macro.apply_to(self, by=by)  # before the reply may resolve the ticket
            now = timezone.now()
            entry = self.record(
                TicketEntry.Kind.REPLY, by=by, body=body.strip(), is_public=True, created_at=now, data=data
            )
            for attachment in attachments:
                store_attachment(entry, attachment)
            self.mark_first_response(now)
            if then == self.Status.WAITING and self.status != self.Status.WAITING:
                self._open_if_new(by=by)
                self.wait_on_customer(by=by, at=now)
            elif then == self.Status.RESOLVED:
                self.resolve(by=by, at=now)
            else:
                self._open_if_new(by=by)
            presence.stopped_replying(self.pk, by)
            if by_email and self.customer.email:
                outbox.reply(self, entry)
        return entry

    def newer_replies_than(self, entry_id: int, *, by):
        """Public replies by other agents after the entry the agent last saw."""
        return (
            self.entries.filter(kind=TicketEntry.Kind.REPLY, is_public=True, pk__gt=entry_id)
            .exclude(author=by)
            .select_related("author")
        )

    def add_note(self, *, by, body: str) -> TicketEntry:
        """An internal note: for colleagues only, never sent, never on the status page.

        A colleague named in it (`@username`) is notified."""
        from helpdesk import agent_alerts

        with transaction.atomic():
            entry = self.record(TicketEntry.Kind.NOTE, by=by, body=body.strip(), is_public=False)
            agent_alerts.mentioned_in_note(self, body=entry.body, by=by)
        return entry

    # --- the problem summary, confirmed by the customer ----------------------------------

    def write_summary(self, *, by, text: str) -> None:
        text = text.strip()
        if text == self.summary and self.summary_state:
            return
        with transaction.atomic():
            self.summary, self.summary_state = text, "pending"
            self.summary_updated_at = timezone.now()
            self.save(update_fields=["summary", "summary_state", "summary_updated_at", "updated_at"])
            self.record(
                TicketEntry.Kind.EVENT,
                by=by,
                event=TicketEntry.Event.SUMMARY_WRITTEN,
                body=text,
                is_public=True,
            )

    def confirm_summary(self) -> TicketEntry | None:
        """The customer says the summary is right and complete (from the status page).

        Confirming again (a double tap) changes nothing and returns None.
        """
        if self.summary_state == "confirmed":
            return None
        if self.summary_state != "pending":
            raise InvalidTransition(_("There is no summary waiting to be checked."))
        with transaction.atomic():
            self.summary_state, self.summary_updated_at = "confirmed", timezone.now()
            self.save(update_fields=["summary_state", "summary_updated_at", "updated_at"])
            return self.record_event(TicketEntry.Event.SUMMARY_CONFIRMED)

    def correct_summary(self, text: str) -> TicketEntry:
        """The customer says what the summary missed: their words join the timeline as a message.

        A correction is the customer's answer, so it wakes the request like any message of
        theirs: a request waiting on them goes back to its agent, a closed one reopens.
        """
        if self.summary_state != "pending":
            raise InvalidTransition(_("There is no summary waiting to be checked."))
        with transaction.atomic():
            self.summary_state, self.summary_updated_at = "corrected", timezone.now()
            self.save(update_fields=["summary_state", "summary_updated_at", "updated_at"])
            self.record_event(TicketEntry.Event.SUMMARY_CORRECTED)
            return self.receive_customer_message(
                body=text.strip(), channel=Channel.WEB, data={"summary_correction": True}
            )

    # --- next steps ------------------------------------------------------------------------

    def add_next_step(self, *, by, description: str, due_on: date) -> NextStep:
        self._guard_workable()
        with transaction.atomic():
            step = self.next_steps.create(description=description.strip(), due_on=due_on, created_by=by)
            self.record(
                TicketEntry.Kind.EVENT,
                by=by,
                event=TicketEntry.Event.NEXT_STEP,
                body=step.description,
                data={"step": step.pk, "due_on": due_on.isoformat()},
                is_public=True,
            )
        return step

    def complete_next_step(self, step: NextStep, *, by) -> None:
        if step.ticket_id != self.pk or step.done_at is not None:
            raise InvalidTransition(_("This step is already done."))
        with transaction.atomic():
            step.done_at = timezone.now()
            step.save(update_fields=["done_at"])
            self.record(
                TicketEntry.Kind.EVENT,
                by=by,
                event=TicketEntry.Event.NEXT_STEP,
                body=step.description,
                data={"step": step.pk, "done": True},
                is_public=True,
            )

    # --- status, priority, owner -----------------------------------------------------------

    def move_to(self, status: str, *, by, message: str = "", notify: bool = True) -> None:
        """A status change from the workspace, telling the customer where it matters.

        Waiting on the customer: we need something from them (`message` says what). Resolved:
        what was done (`message`) and that a reply reopens it. Other changes send nothing.
        `notify=False` when the caller tells the customer itself (a change of many tickets
        sends each customer one message for all of theirs: helpdesk.bulk).
        """
        from helpdesk.mail import outbox

        message = message.strip()
        with transaction.atomic():
            if status == self.Status.OPEN:
                if self.status == self.Status.WAITING:
                    self.resume(by=by)
                elif self.status == self.Status.NEW:
                    self._open_if_new(by=by)
                elif self.is_open:
                    raise InvalidTransition(self.changed_by_someone_else())
                else:
                    self._guard_not_merged()
                    self.reopen(by=by)
            elif status == self.Status.WAITING:
                self._guard_workable()
                self.wait_on_customer(by=by, note=message)
            elif status == self.Status.RESOLVED:
                self._guard_not_merged()
                self.resolve(by=by, note=message)
            elif status == self.Status.CLOSED:
                self.close(by=by)
            else:
                raise InvalidTransition(_("Unknown status."))
            if notify and status in (self.Status.WAITING, self.Status.RESOLVED) and self.customer.email:
                outbox.status_changed(self, message=message)

    def _open_if_new(self, *, by) -> None:
        if self.status == self.Status.NEW:
            self._change_status(self.Status.OPEN, by=by)

    def change_priority(self, priority: int, *, by) -> None:
        """New priority: due times are recomputed from the queue's targets for it."""
        if priority == self.priority:
            return
        self._guard_workable()
        old = self.priority
        with transaction.atomic():
            self.priority = priority
            self.apply_sla()
            if self.status == self.Status.WAITING:
                # The clock has been standing still since the wait began; keep it so.
                self._shift_due_times(paused_at=self.waiting_since, resumed_at=timezone.now())
            self.save(update_fields=["priority", "first_response_due_at", "resolution_due_at", "updated_at"])
            self.record_event(
                TicketEntry.Event.PRIORITY_CHANGED, by=by, data={"from": old, "to": priority}, public=False
            )

    def reassign(self, agent, *, by) -> None:
        """Hand the ticket to another agent, or back to the queue (agent=None)."""
        self._guard_workable()
        if self.assignee_id == getattr(agent, "pk", None):
            raise InvalidTransition(_("The request is already there."))
        self.assign(agent, by=by)

    def request_attention(self, *, by, reason: str) -> AttentionRequest:
        """Ask the queue's manager to step in; the agent says why."""
        self._guard_workable()
        with transaction.atomic():
            # Locked: two agents asking at once raise one request.
            type(self).objects.select_for_update().filter(pk=self.pk).values_list("pk").first()
            # An SLA breach alert is the scan's, not a decision asked for: it never stands in the way.
            pending = self.attention_requests.open().raised_by_agents().select_related("raised_by").first()
            if pending:
                raise InvalidTransition(
                    _(
                        "%(name)s already asked a supervisor to decide on this request; "
                        "the answer is still to come. Add what is new as an internal note."
                    )
                    % {"name": staff_name(pending.raised_by) if pending.raised_by else _("A colleague")}
                )
            request = self.attention_requests.create(raised_by=by, reason=reason.strip())
            self.record(
                TicketEntry.Kind.EVENT,
                by=by,
                event=TicketEntry.Event.ATTENTION_REQUESTED,
                body=request.reason,
                # The key stays "escalation": it is stored in the timeline rows already written.
                data={"escalation": request.pk},
                is_public=False,
            )
        return request

    def mark_as_complaint(self, *, by) -> None:
        """The customer is complaining, whatever category they chose: it counts as a complaint
        (and joins the recurring-complaint themes). Accepted in any form, on any ticket."""
        from helpdesk import hooks

        if self.is_complaint:
            raise InvalidTransition(_("This request is already a complaint."))
        with transaction.atomic():
            self.is_complaint = True
            self.save(update_fields=["is_complaint", "updated_at"])
            self.record_event(TicketEntry.Event.MARKED_COMPLAINT, by=by, public=False)
            hooks.COMPLAINT_ARRIVED.call_on_commit(self.pk)

    # --- duplicates and relatives ------------------------------------------------------------

    def merge_into(self, target, *, by) -> None:
        """This ticket duplicates `target`: it is closed quietly, its messages show on the target.

        Only the same customer's tickets merge, so nobody's messages appear on another
        customer's status page. Nothing is emailed.
        """
        self.check_merge_into(target)
        with transaction.atomic():
            self.merged_into = target
            self.save(update_fields=["merged_into", "updated_at"])
            if self.status != self.Status.CLOSED:
                self.close(by=by)
            self.record_event(TicketEntry.Event.MERGED, by=by, data={"into": target.reference})
            target.record_event(TicketEntry.Event.MERGED, by=by, data={"from": self.reference})
            self.merged_tickets.update(merged_into=target)

    def check_merge_into(self, target) -> None:
        """Refuses (InvalidTransition) a merge into `target` that cannot be made: asked before the
        agent confirms the merge, and again when it is made."""
        if target.pk == self.pk:
            raise InvalidTransition(_("A request cannot be merged into itself."))
        if self.merged_into_id:
            raise InvalidTransition(_("This request is already merged into another one."))
        if target.merged_into_id:
            raise InvalidTransition(_("That request is itself merged into another one."))
        if target.customer_id != self.customer_id:
            raise InvalidTransition(_("Only requests of the same customer can be merged."))

    def link(self, other, *, by) -> None:
        if other.pk == self.pk:
            raise InvalidTransition(_("A request cannot be linked to itself."))
        if self.related.filter(pk=other.pk).exists():
            raise InvalidTransition(_("These requests are already linked."))
        with transaction.atomic():
            self.related.add(other)
            self.record_event(TicketEntry.Event.LINKED, by=by, data={"to": other.reference}, public=False)
            other.record_event(TicketEntry.Event.LINKED, by=by, data={"to": self.reference}, public=False)

    # --- tags ------------------------------------------------------------------------------

    def add_tag(self, name: str, *, by) -> Tag:
        """Put a tag on the ticket (made on first use); also on a closed one, for the reports."""
        self._guard_not_merged()
        name = normalise_tag(name)
        if not name:
            raise InvalidTransition(_("Write the tag first."))
        with transaction.atomic():
            tag, _created = Tag.objects.get_or_create(name=name)
            # One row per ticket and tag (a unique index): of two agents adding it at once, one adds it.
            try:
                with transaction.atomic():
                    type(self).tags.through.objects.create(ticket_id=self.pk, tag=tag)
            except IntegrityError:
                raise InvalidTransition(
                    _("The request already has the tag “%(tag)s”.") % {"tag": name}
                ) from None
            self.record_event(TicketEntry.Event.TAG_ADDED, by=by, data={"name": name}, public=False)
        return tag

    def remove_tag(self, tag: Tag, *, by) -> None:
        self._guard_not_merged()
        with transaction.atomic():
            removed, _rows = type(self).tags.through.objects.filter(ticket_id=self.pk, tag=tag).delete()
            if not removed:
                raise InvalidTransition(_("The tag “%(tag)s” was already taken off.") % {"tag": tag.name})
            self.record_event(TicketEntry.Event.TAG_REMOVED, by=by, data={"name": tag.name}, public=False)

    def rows_if_any(self, relation: str, rows) -> list:
        """The rows, or none without asking when the ticket was read noting that it has none
        (TicketQuerySet.noting_which_exist)."""
        return list(rows) if getattr(self, f"has_{relation}", True) else []

    def timeline(self, merged_ids=None):
        """This ticket's entries and the customer's messages of the duplicates merged into it.

        `merged_ids`: the duplicates' ids when the caller has them already (the workspace).
        """
        from django.db.models import Q

        # The duplicates' ids are read first (a tiny query) so that the entries are fetched by
        # their ticket index; an OR over a join or subquery makes PostgreSQL scan every entry.
        if merged_ids is None:
            merged_ids = type(self).objects.filter(merged_into=self).values_list("pk", flat=True)
        merged = list(merged_ids)
        if not merged:
            return TicketEntry.objects.filter(ticket_id=self.pk)
        return TicketEntry.objects.filter(
            Q(ticket_id=self.pk) | Q(ticket_id__in=merged, kind=TicketEntry.Kind.MESSAGE)
        )

    # --- who else is here (the collision warning) -----------------------------------------

    def mark_viewed_by(self, user, *, replying: bool = False) -> None:
        # In the cache (helpdesk.presence): it runs on every page view and every ten seconds
        # while the page is open, and writes no row.
        presence.here(self.pk, user, replying=replying)

    def other_viewers(self, user) -> list[presence.Viewer]:
        """Other agents with this ticket open right now, those writing a reply first."""
        return presence.others(self.pk, user)

    # --- guards ----------------------------------------------------------------------------

    def _guard_not_merged(self) -> None:
        if self.merged_into_id:
            raise InvalidTransition(
                _("This request was merged into %(reference)s: work on that one.")
                % {"reference": self.merged_into.reference}
            )

    def _guard_workable(self) -> None:
        self._guard_not_merged()
        if not self.is_open:
            raise InvalidTransition(_("This request is closed: reopen it first."))
