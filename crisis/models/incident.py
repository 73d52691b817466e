"""An incident: something went wrong for many customers at once, and management said so."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from helpdesk.languages import in_language
from helpdesk.models import InvalidTransition


class IncidentQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(state=Incident.State.RESOLVED)

    def resolved(self):
        return self.filter(state=Incident.State.RESOLVED)


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
    # What customers read on the banner ("Is your request about …?"), in their language.
    title_hu = models.CharField(_("title in Hungarian"), max_length=200, blank=True)
    title_pl = models.CharField(_("title in Polish"), max_length=200, blank=True)
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

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("crisis:incident-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state != self.State.RESOLVED

    def title_in(self, language: str) -> str:
        return in_language({"en": self.title, "hu": self.title_hu, "pl": self.title_pl}, language)

    # --- transitions ----------------------------------------------------------------------

    @classmethod
    def declare(cls, *, by, statement: dict[str, str], categories=(), **fields) -> "Incident":
        """Declare an incident and publish its first public statement at once.

        The acknowledgement is published without a second reviewer: "we know, we are on it"
        admits a problem and promises nothing, and waiting for a second person is exactly the
        delay the practice warns against (admit publicly and at once). Only a manager can
        declare, and every later statement, the final one included, is reviewed by four eyes.
        """
        from crisis.models.updates import IncidentUpdate

        with transaction.atomic():
            incident = cls.objects.create(declared_by=by, **fields)
            incident.categories.set(categories)
            incident.events.create(
                actor=by, kind=IncidentEvent.Kind.DECLARED, state_after=incident.state, text=incident.title
            )
            IncidentUpdate.acknowledge(incident, by=by, texts=statement)
        return incident

    def move_to(self, state: str, *, by, note: str = "") -> None:
        """Investigating, identified, monitoring (and back, when a fix does not hold).

        Resolving is not a move: it needs a reviewed final statement (IncidentUpdate.publish).
        """
        if not self.is_active:
            raise InvalidTransition(_("This incident is resolved."))
        if state == self.State.RESOLVED:
            raise InvalidTransition(_("An incident is resolved by publishing its reviewed final statement."))
        if state == self.state or state not in self.State.values or state == self.State.DECLARED:
            raise InvalidTransition(_("The incident cannot move to this state."))
        self._change_state(state, by=by, kind=IncidentEvent.Kind.STATE_CHANGED, note=note)

    def resolve(self, *, by, note: str = "") -> None:
        """Called by the final statement's publication, in its transaction."""
        if not self.is_active:
            raise InvalidTransition(_("This incident is already resolved."))
        self.resolved_at = timezone.now()
        self._change_state(
            self.State.RESOLVED,
            by=by,
            kind=IncidentEvent.Kind.RESOLVED,
            note=note,
            extra_fields=["resolved_at"],
        )

    def _change_state(self, state, *, by, kind, note="", extra_fields=()) -> None:
        from crisis import banner

        with transaction.atomic():
            before = self.state
            self.state = state
            self.save(update_fields=["state", *extra_fields])
            self.events.create(actor=by, kind=kind, state_before=before, state_after=state, text=note)
            banner.forget_on_commit()

    # --- linking ----------------------------------------------------------------------------

    def link(self, ticket, *, via: str, by=None) -> bool:
        """Link a ticket; False when it was linked already (a double click links once)."""
        if not self.is_active:
            raise InvalidTransition(_("A resolved incident takes no more requests."))
        _link, created = IncidentTicket.objects.get_or_create(
            incident=self, ticket=ticket, defaults={"via": via, "linked_by": by}
        )
        if created:
            from helpdesk.models import TicketEntry

            ticket.record_event(
                TicketEntry.Event.INCIDENT_LINKED,
                by=by,
                data={"incident": self.pk},
                public=False,
                body=self.title,
            )
        return created

    def link_many(self, tickets, *, via: str, by) -> int:
        """Link a set of tickets in one INSERT; returns how many were new."""
        if not self.is_active:
            raise InvalidTransition(_("A resolved incident takes no more requests."))
        from helpdesk.models import TicketEntry

        new = list(tickets.exclude(incident_links__incident=self).values_list("pk", "channel"))
        with transaction.atomic():
            IncidentTicket.objects.bulk_create(
                [IncidentTicket(incident=self, ticket_id=pk, via=via, linked_by=by) for pk, _c in new],
                ignore_conflicts=True,
            )
            TicketEntry.objects.bulk_create(
                TicketEntry(
                    ticket_id=pk,
                    kind=TicketEntry.Kind.EVENT,
                    event=TicketEntry.Event.INCIDENT_LINKED,
                    channel=channel,
                    author=by,
                    body=self.title,
                    data={"incident": self.pk},
                )
                for pk, channel in new
            )
            if new:
                self.events.create(actor=by, kind=IncidentEvent.Kind.LINKED, text=str(len(new)))
        return len(new)


class IncidentEvent(models.Model):
    """One line of the incident's timeline: a transition, a published update, a decision."""

    class Kind(models.TextChoices):
        DECLARED = "declared", _("Declared")
        STATE_CHANGED = "state_changed", _("State changed")
        RESOLVED = "resolved", _("Resolved")
        UPDATE_DRAFTED = "update_drafted", _("Update drafted")
        UPDATE_PUBLISHED = "update_published", _("Update published")
        UPDATE_REJECTED = "update_rejected", _("Update sent back")
        LINKED = "linked", _("Requests linked")
        TICKETS_SETTLED = "tickets_settled", _("Linked requests settled")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="events", verbose_name=_("incident")
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind)
    state_before = models.CharField(max_length=16, blank=True)
    state_after = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["incident", "at"], name="incident_event_idx")]

    def __str__(self):
        return f"{self.incident}: {self.kind}"

    @property
    def state_change(self) -> str:
        """ "Declared → Investigating" in the reader's language; empty when the state did not move."""
        if not self.state_after:
            return ""
        labels = dict(Incident.State.choices)
        before = labels.get(self.state_before, self.state_before) if self.state_before else "—"
        return f"{before} → {labels.get(self.state_after, self.state_after)}"

    @property
    def details(self) -> str:
        """What the event's text says, in the reader's language: counts and actions are stored
        as codes ("3", "resolve: 2"), a note or an update's text as written."""
        if self.kind == self.Kind.LINKED and self.text.isdigit():
            count = int(self.text)
            return ngettext("%(count)d request linked", "%(count)d requests linked", count) % {"count": count}
        if self.kind == self.Kind.TICKETS_SETTLED:
            action, _colon, count = self.text.partition(": ")
            if count.isdigit():
                return settled_text(action, int(count))
        return self.text


def settled_text(action: str, count: int) -> str:
    if action == "resolve":
        return ngettext("%(count)d linked request resolved", "%(count)d linked requests resolved", count) % {
            "count": count
        }
    if action == "reopen":
        return ngettext("%(count)d linked request reopened", "%(count)d linked requests reopened", count) % {
            "count": count
        }
    return gettext("Linked requests left as they were")


class IncidentTicket(models.Model):
    """A ticket linked to an incident: the customer is affected and hears of every update."""

    class Via(models.TextChoices):
        INTAKE = "intake", _("The customer said so when writing to us")
        AGENT = "agent", _("Linked by an agent")
        BULK = "bulk", _("Linked in bulk from the suggestions")
        CALL = "call", _("Linked during a phone call")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="ticket_links", verbose_name=_("incident")
    )
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
