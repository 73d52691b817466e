"""Public updates of an incident: drafted by any agent, published by a second person, a manager.

Public words stay online forever, so an update goes out only after a manager other than its
author approved it (four eyes). The one exception is the acknowledgement written when the
incident is declared (see Incident.declare). Publishing is quick: it changes the row, puts the
update on the timeline and the banner, and leaves the mass sending to the worker.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisis.models.incident import Incident, IncidentEvent
from helpdesk.languages import LANGUAGES, field_in_language
from helpdesk.models import InvalidTransition
from helpdesk.models.staff import staff_name
from helpdesk.roles import is_manager


class IncidentUpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=IncidentUpdate.State.PUBLISHED).order_by("-published_at", "-pk")

    def waiting_for_review(self):
        return self.filter(state=IncidentUpdate.State.DRAFT).order_by("created_at", "pk")


class IncidentUpdate(models.Model):
    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("First public statement")
        UPDATE = "update", _("Update")
        FINAL = "final", _("Final statement (resolves the incident)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Sent back")

    class TicketAction(models.TextChoices):
        RESOLVE = "resolve", _("Resolve the linked requests that are still open")
        REOPEN = "reopen", _("Reopen the linked requests already closed, to check with each customer")
        LEAVE = "leave", _("Leave the linked requests as they are")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="updates", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.UPDATE)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.DRAFT)
    text_en = models.TextField(_("text in English"))
    text_hu = models.TextField(_("text in Hungarian"))
    text_pl = models.TextField(_("text in Polish"))
    ticket_action = models.CharField(
        _("linked requests"), max_length=8, choices=TicketAction, default=TicketAction.RESOLVE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("note to the author"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The worker's progress: recipients listed, every message written, linked tickets settled.
    recipient_count = models.PositiveIntegerField(null=True, blank=True)
    sending_finished_at = models.DateTimeField(null=True, blank=True)
    tickets_settled_at = models.DateTimeField(null=True, blank=True)

    objects = IncidentUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["incident", "state", "-published_at"], name="incident_update_latest"),
        ]

    def __str__(self):
        return f"{self.incident}: {self.text_en[:60]}"

    def text_in(self, language: str) -> str:
        return field_in_language(self, "text", language)

    @property
    def is_final(self) -> bool:
        return self.kind == self.Kind.FINAL

    # --- transitions ----------------------------------------------------------------------

    @classmethod
    def draft(cls, incident: Incident, *, by, texts: dict[str, str], final: bool = False, ticket_action=""):
        incident.refresh_from_db(fields=["state"])  # the page may be older than the resolution
        if not incident.is_active:
            raise InvalidTransition(_("This incident is resolved; it takes no more updates."))
        with transaction.atomic():
            update = cls.objects.create(
                incident=incident,
                kind=cls.Kind.FINAL if final else cls.Kind.UPDATE,
                author=by,
                ticket_action=ticket_action or cls.TicketAction.RESOLVE,
                **{f"text_{language}": texts[language] for language in LANGUAGES},
            )
            incident.events.create(actor=by, kind=IncidentEvent.Kind.UPDATE_DRAFTED, text=update.text_en)
        return update

    @classmethod
    def acknowledge(cls, incident: Incident, *, by, texts: dict[str, str]) -> "IncidentUpdate":
        """The first public statement, published at once (the reason is in Incident.declare)."""
        update = cls.objects.create(
            incident=incident,
            kind=cls.Kind.ACKNOWLEDGEMENT,
            author=by,
            **{f"text_{language}": texts[language] for language in LANGUAGES},
        )
        update._publish(by=by)
        return update

    def publish(self, *, by) -> None:
        """A second person, a manager, approves: on the banner at once, sent by the worker."""
        if not is_manager(by):
            raise InvalidTransition(_("Only a manager can approve a public update."))
        if by.pk == self.author_id:
            raise InvalidTransition(_("A second person must approve this update: you wrote it."))
        self._publish(by=by)

    def _publish(self, *, by) -> None:
        from crisis import banner, sending

        with transaction.atomic():
            incident = Incident.objects.select_for_update().get(pk=self.incident_id)
            if not incident.is_active:
                raise InvalidTransition(_("This incident is resolved; it takes no more updates."))
            now = timezone.now()
            # Conditional: two managers approving at once publish it once.
            published = IncidentUpdate.objects.filter(pk=self.pk, state=self.State.DRAFT).update(
                state=self.State.PUBLISHED,
                published_at=now,
                reviewed_by=None if self.kind == self.Kind.ACKNOWLEDGEMENT else by,
                reviewed_at=now,
            )
            if not published:
                raise InvalidTransition(self._reviewed_already())
            self.refresh_from_db()
            incident.events.create(actor=by, kind=IncidentEvent.Kind.UPDATE_PUBLISHED, text=self.text_en)
            if self.is_final:
                incident.resolve(by=by)
            banner.forget_on_commit()
            sending.start_on_commit(self.pk)

    def reject(self, *, by, note: str) -> None:
        """A manager sends the draft back with a note; the author writes a new one."""
        if not is_manager(by):
            raise InvalidTransition(_("Only a manager can review a public update."))
        with transaction.atomic():
            # The incident first, as publishing locks it: in the other order the two deadlocked.
            Incident.objects.select_for_update().filter(pk=self.incident_id).values_list("pk").first()
            rejected = IncidentUpdate.objects.filter(pk=self.pk, state=self.State.DRAFT).update(
                state=self.State.REJECTED, reviewed_by=by, reviewed_at=timezone.now(), review_note=note
            )
            if not rejected:
                raise InvalidTransition(self._reviewed_already())
            self.refresh_from_db()
            self.incident.events.create(actor=by, kind=IncidentEvent.Kind.UPDATE_REJECTED, text=note)

    def _reviewed_already(self) -> str:
        """For the manager who comes second: who reviewed it first, and how."""
        current = IncidentUpdate.objects.select_related("reviewed_by").get(pk=self.pk)
        if current.reviewed_by is None:
            return _("This update is no longer waiting for review.")
        return _("Already reviewed by %(name)s: %(state)s.") % {
            "name": staff_name(current.reviewed_by),
            "state": current.get_state_display(),
        }


class UpdateRecipientQuerySet(models.QuerySet):
    def erase_personal_data(self) -> int:
        """The address goes; the row stays, so the update's count of recipients does not change.
        Each erased row holds a placeholder of its own (one address per update is unique) that
        is no address."""
        return self.update(email=Concat(models.Value("erased-"), Cast("pk", models.CharField())))


class UpdateRecipient(models.Model):
    """One address that receives one update: listed once (the unique constraint), sent once.

    Filled by one INSERT … SELECT in the database (crisis.sending), then turned into outbox
    messages in batches; `notification` is set in the same transaction that writes the message,
    so a worker that restarts continues with the rows that have none.
    """

    update = models.ForeignKey(IncidentUpdate, on_delete=models.CASCADE, related_name="recipients")
    email = models.CharField(max_length=254)  # lower case: one message per address
    language = models.CharField(max_length=8)
    customer = models.ForeignKey("helpdesk.Customer", on_delete=models.CASCADE, null=True, related_name="+")
    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, null=True, related_name="+")
    notification = models.OneToOneField(
        "helpdesk.Notification", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = UpdateRecipientQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "email"], name="update_recipient_once")]
        indexes = [
            models.Index(
                fields=["update", "id"],
                condition=models.Q(notification__isnull=True),
                name="update_recipient_todo",
            )
        ]

    def __str__(self):
        return self.email
