"""A theme raised to management, and the one reviewed answer to all of its open tickets."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models.themes import Theme
from helpdesk.models import InvalidTransition, Language
from helpdesk.models.staff import staff_name


class RecurringComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[RecurringComplaint.Status.CLOSED, RecurringComplaint.Status.MERGED])

    def filtered(self, *, status: str = "", owner=None, category=None):
        recurring_complaints = self
        if status == "open":
            recurring_complaints = recurring_complaints.open()
        elif status:
            recurring_complaints = recurring_complaints.filter(status=status)
        if owner is not None:
            recurring_complaints = recurring_complaints.filter(owner=owner)
        if category is not None:
            recurring_complaints = recurring_complaints.filter(theme__category=category)
        return recurring_complaints


class RecurringComplaint(models.Model):
    """A recurring complaint that management must fix at the root. One per theme, re-opened
    when the theme comes back after it was closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLOSED = "closed", _("Closed")
        # Its theme joined another escalated theme: the problem goes on under that escalation.
        MERGED = "merged", _("Merged into another escalation")

    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="recurring_complaint")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)
    times_raised = models.PositiveSmallIntegerField(_("times raised"), default=1)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_recurring_complaints",
        verbose_name=_("owner"),
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    fix = models.TextField(_("fix"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RecurringComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme escalation")
        verbose_name_plural = _("theme escalations")
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["status", "-raised_at"], name="recurring_complaint_status")]

    def __str__(self):
        return str(self.theme)

    def get_absolute_url(self):
        return reverse("feedback:theme-detail", args=[self.theme_id])

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.MERGED)

    @classmethod
    def follow_merge(cls, *, kept: Theme, gone: Theme, complaints: int) -> None:
        """Theme `gone` became part of `kept` (Theme.absorb): one escalation per problem. Its
        escalation moves to `kept` when `kept` has none; when both have one, `kept`'s goes on and
        `gone`'s is marked merged. Either way nothing new is raised and nobody is mailed."""
        escalations = {
            escalation.theme_id: escalation
            for escalation in cls.objects.select_for_update()
            .filter(theme__in=[kept, gone])
            .exclude(status=cls.Status.MERGED)
        }
        staying, joining = escalations.get(kept.pk), escalations.get(gone.pk)
        if joining is not None and staying is None:
            cls.objects.filter(pk=joining.pk).update(theme=kept)
            staying = joining
        elif joining is not None:
            cls.objects.filter(pk=joining.pk).update(status=cls.Status.MERGED)
            joining.events.create(kind=RecurringComplaintEvent.Kind.MERGED_INTO, note=str(complaints))
        if staying is not None:
            staying.events.create(kind=RecurringComplaintEvent.Kind.JOINED, note=str(complaints))

    # --- raised by the worker ----------------------------------------------------------------

    @classmethod
    def raise_for(cls, theme: Theme, *, now=None) -> "RecurringComplaint | None":
        """Raise a theme to management the first time it crosses the rule; None when it already was."""
        now = now or timezone.now()
        try:
            with transaction.atomic():
                recurring_complaint = cls.objects.create(theme=theme, raised_at=now)
        except IntegrityError:
            return None
        recurring_complaint.events.create(kind=RecurringComplaintEvent.Kind.RAISED, at=now)
        return recurring_complaint

    def reopen(self, *, now=None) -> bool:
        """The theme came back after it was closed. Claimed with a conditional UPDATE, so two
        workers never both re-open it (and never both tell the managers)."""
        now = now or timezone.now()
        claimed = (
            type(self)
            .objects.filter(pk=self.pk, status=self.Status.CLOSED)
            .update(
                status=self.Status.OPEN,
                raised_at=now,
                times_raised=models.F("times_raised") + 1,
                acknowledged_at=None,
                acknowledged_by=None,
                closed_at=None,
                closed_by=None,
            )
        )
        if claimed:
            self.refresh_from_db()
            self.events.create(kind=RecurringComplaintEvent.Kind.REOPENED, at=now)
        return bool(claimed)

    # --- what a manager does -------------------------------------------------------------

    def acknowledge(self, *, by) -> None:
        if self.status != self.Status.OPEN:
            raise InvalidTransition(self._taken(_("This escalation is not waiting to be acknowledged.")))
        with transaction.atomic():
            if not self._acknowledge_if_new(by=by):
                raise InvalidTransition(self._taken(_("This escalation is not waiting to be acknowledged.")))

    def _acknowledge_if_new(self, *, by) -> bool:
        """Conditional on the recurring complaint still being new: two managers acknowledging at once
        leave one event; False when someone else did it first."""
        now = timezone.now()
        claimed = (
            type(self)
            .objects.filter(pk=self.pk, status=self.Status.OPEN)
            .update(status=self.Status.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=by)
        )
        if claimed:
            self.status, self.acknowledged_at, self.acknowledged_by = self.Status.ACKNOWLEDGED, now, by
            self.events.create(kind=RecurringComplaintEvent.Kind.ACKNOWLEDGED, actor=by)
        return bool(claimed)

    def _taken(self, fallback) -> str:
        """For the manager who comes second: who acted first."""
        current = type(self).objects.select_related("acknowledged_by", "closed_by").get(pk=self.pk)
        if current.status == self.Status.CLOSED and current.closed_by:
            return _("Already closed by %(name)s.") % {"name": staff_name(current.closed_by)}
        if current.status == self.Status.ACKNOWLEDGED and current.acknowledged_by:
            return _("Already acknowledged by %(name)s.") % {"name": staff_name(current.acknowledged_by)}
        return fallback

    def assign_owner(self, owner, *, by) -> None:
        """Who fixes the cause. Assigning acknowledges a new recurring complaint too."""
        if not self.is_open:
            raise InvalidTransition(self._taken(_("This escalation is closed.")))
        if owner is not None and owner.pk == self.owner_id:
            return
        with transaction.atomic():
            self._acknowledge_if_new(by=by)
            # Conditional on the owner this manager saw: two assigning at once, one assigns.
            assigned = (
                type(self)
                .objects.filter(pk=self.pk, owner=self.owner_id)
                .exclude(status=self.Status.CLOSED)
                .update(owner=owner)
            )
            if not assigned:
                raise InvalidTransition(self._taken(_("Someone else assigned an owner a moment ago.")))
            self.owner = owner
            self.events.create(
                kind=RecurringComplaintEvent.Kind.OWNER_ASSIGNED,
                actor=by,
                note=owner.get_full_name() or owner.get_username() if owner else "",
            )

    def record_findings(self, *, by, root_cause: str, fix: str) -> None:
        if not self.is_open:
            raise InvalidTransition(_("This escalation is closed."))
        with transaction.atomic():
            self.root_cause, self.fix = root_cause.strip(), fix.strip()
            self.save(update_fields=["root_cause", "fix"])
            self.events.create(kind=RecurringComplaintEvent.Kind.FINDINGS, actor=by, note=self.root_cause)

    def close(self, *, by, root_cause: str, fix: str) -> None:
        """Done: the root cause is known and fixed. Both are required to close."""
        if not self.is_open:
            raise InvalidTransition(self._taken(_("This escalation is already closed.")))
        if not root_cause.strip() or not fix.strip():
            raise InvalidTransition(_("Record the root cause and the fix before closing."))
        with transaction.atomic():
            now = timezone.now()
            closed = (
                type(self)
                .objects.filter(pk=self.pk)
                .exclude(status=self.Status.CLOSED)
                .update(
                    root_cause=root_cause.strip(),
                    fix=fix.strip(),
                    status=self.Status.CLOSED,
                    closed_at=now,
                    closed_by=by,
                )
            )
            if not closed:
                raise InvalidTransition(self._taken(_("This escalation is already closed.")))
            type(self).objects.filter(pk=self.pk, acknowledged_at__isnull=True).update(
                acknowledged_at=now, acknowledged_by=by
            )
            self.refresh_from_db()
            self.events.create(kind=RecurringComplaintEvent.Kind.CLOSED, actor=by, note=self.root_cause)


class RecurringComplaintEvent(models.Model):
    """The recurring complaint's history: who did what when (its page shows it)."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised: the theme crossed the escalation rule")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        OWNER_ASSIGNED = "owner", _("Owner assigned")
        FINDINGS = "findings", _("Root cause and fix recorded")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Re-opened: the theme came back")
        REPLY_SENT = "reply_sent", _("Answer sent to the open requests")
        JOINED = "joined", _("Complaints added: a theme of the same problem joined")
        MERGED_INTO = "merged_into", _("Merged into the escalation of the theme it joined")

    recurring_complaint = models.ForeignKey(
        RecurringComplaint, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=12, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.recurring_complaint_id} {self.kind}"


class ThemeReplyQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=[ThemeReply.Status.DRAFT, ThemeReply.Status.APPROVED])


class ThemeReply(models.Model):
    """One answer for every open request of a theme: drafted by a manager, approved by another,
    then sent by the worker as a reply on each ticket."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        APPROVED = "approved", _("Approved, being sent")
        SENT = "sent", _("Sent")
        DISCARDED = "discarded", _("Discarded")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="replies")
    # Customers hear from us in their own language: an answer goes to the requests in its language.
    language = models.CharField(_("language"), max_length=8, choices=Language)
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)

    objects = ThemeReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer to a theme")
        verbose_name_plural = _("answers to a theme")
        ordering = ["-drafted_at", "-pk"]

    def __str__(self):
        return f"{self.theme_id}: {self.body[:40]}"

    def approve(self, *, by) -> None:
        """A second manager checked the text. The worker sends it once this commits."""
        if self.status != self.Status.DRAFT:
            raise InvalidTransition(self._taken(_("Only a draft can be approved.")))
        if by.pk == self.drafted_by_id:
            raise InvalidTransition(_("A second person must approve the message, not its author."))
        now = timezone.now()
        if not self._leave_draft(status=self.Status.APPROVED, approved_by=by, approved_at=now):
            raise InvalidTransition(self._taken(_("Only a draft can be approved.")))
        self.status, self.approved_by, self.approved_at = self.Status.APPROVED, by, now

    def discard(self, *, by) -> None:
        if self.status != self.Status.DRAFT:
            raise InvalidTransition(self._taken(_("Only a draft can be discarded.")))
        if not self._leave_draft(status=self.Status.DISCARDED):
            raise InvalidTransition(self._taken(_("Only a draft can be discarded.")))
        self.status = self.Status.DISCARDED

    def _leave_draft(self, **changes) -> bool:
        # Conditional: two managers approving (or one discarding) at once, one wins.
        return bool(type(self).objects.filter(pk=self.pk, status=self.Status.DRAFT).update(**changes))

    def _taken(self, fallback) -> str:
        current = type(self).objects.select_related("approved_by").get(pk=self.pk)
        if current.approved_by is not None:
            return _("Already approved by %(name)s.") % {"name": staff_name(current.approved_by)}
        return fallback

    def mark_sent(self, count: int) -> None:
        self.status, self.sent_at, self.sent_count = self.Status.SENT, timezone.now(), count
        self.save(update_fields=["status", "sent_at", "sent_count"])


class ThemeReplyDelivery(models.Model):
    """The answer went onto this ticket: a retried send skips it."""

    reply = models.ForeignKey(ThemeReply, on_delete=models.CASCADE, related_name="deliveries")
    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reply", "ticket"], name="theme_reply_once_per_ticket")
        ]

    def __str__(self):
        return f"{self.reply_id} on {self.ticket_id}"
