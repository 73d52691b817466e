"""A change an agent makes to many tickets at once from the queue page (helpdesk.bulk runs it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.tags import TAG_MAX_LENGTH


class BulkChange(models.Model):
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
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bulk change")
        verbose_name_plural = _("bulk changes")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.total})"

    def claim(self) -> bool:
        """Takes the work (pending to running) once: a second worker, or a retry, finds it taken."""
        claimed = (
            type(self).objects.filter(pk=self.pk, state=self.State.PENDING).update(state=self.State.RUNNING)
        )
        if claimed:
            self.state = self.State.RUNNING
        return bool(claimed)

    def record_progress(self, *, changed: int, skipped: list[str]) -> None:
        self.processed += changed + len(skipped)
        self.changed += changed
        self.skipped += len(skipped)
        self.skipped_references = [*self.skipped_references, *skipped][:100]
        self.save(update_fields=["processed", "changed", "skipped", "skipped_references"])

    def finish(self) -> None:
        self.state, self.finished_at = self.State.DONE, timezone.now()
        self.save(update_fields=["state", "finished_at"])

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.processed * 100 // self.total)
