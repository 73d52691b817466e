"""A change an agent makes to many tickets at once from the queue page (helpdesk.bulk runs it)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.tags import TAG_MAX_LENGTH


class BulkChangeQuerySet(models.QuerySet):
    def stalled(self, now: datetime):
        """Changes no run is making: running past their lease (the worker died, or its task was
        killed at the worker's timeout), or still pending a lease after they were written (the
        broker lost the task)."""
        lapsed = models.Q(lease_until__lt=now) | models.Q(lease_until__isnull=True)
        return self.filter(
            models.Q(state=BulkChange.State.RUNNING) & lapsed
            | models.Q(state=BulkChange.State.PENDING, created_at__lt=now - BulkChange.LEASE)
        )


class BulkChange(models.Model):
    # A run renews its lease after every batch (seconds apart); past it, the run is taken for
    # dead and another one continues from the tickets not yet done.
    LEASE = timedelta(minutes=2)

    class TakenOver(Exception):
        """Another run continued this change: the batch in hand is rolled back, not written."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Change status")
        PRIORITY = "priority", _("Change priority")
        ASSIGN = "assign", _("Assign")
        MERGE = "merge", _("Merge into one")
        TAG = "tag", _("Add a tag")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the worker")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")

    kind = models.CharField(_("change"), max_length=10, choices=Kind)
    # The new status, the priority's number, the assignee's id ("" for back to the queue), or the
    # id of the request the others are merged into, or the tag to add.
    value = models.CharField(_("value"), max_length=TAG_MAX_LENGTH, blank=True)
    message = models.TextField(_("message to the customers"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    ticket_ids = models.JSONField(default=list)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # The references of the tickets that could not take the change, for the agent to look at.
    skipped_references = models.JSONField(default=list)
    # The tickets changed so far, in order: the customers are told of them once, at the end,
    # whichever run finishes the change.
    changed_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BulkChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulk change")
        verbose_name_plural = _("bulk changes")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.total})"

    @property
    def live_channel(self) -> str:
        """Where its progress is published (helpdesk.live): the progress page follows it."""
        return f"progress:bulk-{self.pk}"

    def claim(self) -> bool:
        """Takes the work once: a pending change, or one whose run stopped renewing its lease. A
        second worker, or a retry while the run is alive, finds it taken. The run continues from
        the progress the row records (`next_ticket_ids`)."""
        now = timezone.now()
        lapsed = models.Q(lease_until__lt=now) | models.Q(lease_until__isnull=True)
        claimed = (
            type(self)
            .objects.filter(models.Q(state=self.State.PENDING) | models.Q(state=self.State.RUNNING) & lapsed)
            .filter(pk=self.pk)
            .update(state=self.State.RUNNING, lease_until=now + self.LEASE)
        )
        if claimed:
            self.refresh_from_db()
        return bool(claimed)

    def next_ticket_ids(self, size: int) -> list[int]:
        return self.ticket_ids[self.processed : self.processed + size]

    def record_progress(self, *, changed: list[int], skipped: list[str]) -> None:
        """Written in the transaction of the batch's changes, and only if no other run recorded
        this batch first: a batch is changed and counted once, or not at all."""
        fields = {
            "processed": self.processed + len(changed) + len(skipped),
            "changed": self.changed + len(changed),
            "skipped": self.skipped + len(skipped),
            "skipped_references": [*self.skipped_references, *skipped][:100],
            "changed_ids": [*self.changed_ids, *changed],
            "lease_until": timezone.now() + self.LEASE,
        }
        mine = type(self).objects.filter(pk=self.pk, state=self.State.RUNNING, processed=self.processed)
        if not mine.update(**fields):
            raise self.TakenOver
        for name, value in fields.items():
            setattr(self, name, value)

    def finish(self) -> bool:
        """Conditional, like each batch: of two runs reaching the end, one finishes (and tells
        the customers, in the same transaction)."""
        now = timezone.now()
        finished = (
            type(self)
            .objects.filter(pk=self.pk, state=self.State.RUNNING, processed=self.processed)
            .update(state=self.State.DONE, finished_at=now, lease_until=None)
        )
        if finished:
            self.state, self.finished_at, self.lease_until = self.State.DONE, now, None
        return bool(finished)

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.processed * 100 // self.total)
