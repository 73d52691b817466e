"""An incident: something went wrong for many customers at once, and management said so."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IncidentQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(state=Incident.State.RESOLVED)


class Incident(models.Model):
    class State(models.TextChoices):
        DECLARED = "declared", _("Declared")
        INVESTIGATING = "investigating", _("Investigating")
        IDENTIFIED = "identified", _("Identified")
        MONITORING = "monitoring", _("Monitoring")
        RESOLVED = "resolved", _("Resolved")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor: some customers, a workaround exists")
        MAJOR = "major", _("Major: many customers, a service degraded")
        CRITICAL = "critical", _("Critical: a service down for most customers")

    title = models.CharField(_("title"), max_length=200)
    affected_service = models.CharField(_("affected service"), max_length=200, blank=True)
    categories = models.ManyToManyField(
        "helpdesk.Category", blank=True, related_name="incidents", verbose_name=_("affected categories")
    )
    severity = models.CharField(_("severity"), max_length=16, choices=Severity, default=Severity.MAJOR)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.DECLARED)
    description = models.TextField(_("internal description"), blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now, editable=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="declared_incidents",
        verbose_name=_("declared by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    # What identifies related requests: words in hu/pl/en (one per line) and a time window.
    match_keywords = models.TextField(_("keywords"), blank=True, help_text=_("One word or phrase per line."))
    match_from = models.DateTimeField(_("related requests from"), null=True, blank=True)
    match_until = models.DateTimeField(_("related requests until"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-declared_at"]
        indexes = [models.Index(fields=["state", "-declared_at"], name="incident_state_idx")]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.state != self.State.RESOLVED


class IncidentEvent(models.Model):
    """One line of the incident's timeline: a transition, a published update, a decision."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32)
    state_before = models.CharField(max_length=16, blank=True)
    state_after = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["incident", "at"], name="incident_event_idx")]

    def __str__(self):
        return f"{self.incident}: {self.kind}"


class IncidentTicket(models.Model):
    """A ticket linked to an incident: the customer is affected and hears of every update."""

    class Via(models.TextChoices):
        INTAKE = "intake", _("The customer said so when writing to us")
        AGENT = "agent", _("Linked by an agent")
        BULK = "bulk", _("Linked in bulk from the suggestions")
        CALL = "call", _("Linked during a phone call")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="incident_links")
    via = models.CharField(max_length=16, choices=Via)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "ticket"], name="incident_ticket_once")]
        indexes = [models.Index(fields=["incident", "linked_at"], name="incident_ticket_time_idx")]

    def __str__(self):
        return f"{self.incident} ← {self.ticket}"
