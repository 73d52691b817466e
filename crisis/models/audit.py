"""The compensation audit trail: every proposal, decision and change, never edited afterwards.

Append-only twice over: the model refuses to save an existing row or delete any row (and its
QuerySet refuses bulk updates and deletes), and on PostgreSQL a trigger raises on UPDATE and
DELETE (migration 0002), so not even raw SQL through the application's connection rewrites
history. The admin shows it read-only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AuditTrailIsAppendOnly("audit entries cannot be deleted")

    def for_ticket(self, ticket):
        return self.filter(ticket=ticket)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        GRANTED = "granted", _("Granted on the spot, within the limit")
        FIRST_APPROVED = "first_approved", _("First approval: waits for a second manager")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FULFILLED = "fulfilled", _("Fulfilled")
        REVIEWED = "reviewed", _("Reviewed")
        HANDED_OVER = "escalated", _("Escalated to the next manager")
        POLICY_CREATED = "policy_created", _("Policy created")
        POLICY_CHANGED = "policy_changed", _("Policy changed")
        LIMIT_SET = "limit_set", _("Grant limit set")
        LIMIT_REMOVED = "limit_removed", _("Grant limit removed")
        THRESHOLD_SET = "threshold_set", _("Second-approval amount set")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Null only for the worker (an overdue proposal is handed over without a person).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("what"), max_length=20, choices=Action)
    incident = models.ForeignKey(
        "crisis.Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("incident"),
    )
    ticket = models.ForeignKey(
        "helpdesk.Ticket", on_delete=models.PROTECT, null=True, blank=True, related_name="compensation_audit"
    )
    proposal = models.ForeignKey(
        "crisis.CompensationProposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    subject = models.CharField(_("about"), max_length=300)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="audit_ticket_time"),
            models.Index(fields=["incident", "at"], name="audit_incident_time"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.subject}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit entries cannot be deleted")
