"""Follow-up surveys: one per resolved ticket (and one per customer after an incident).

A survey row is created when the worker first sees a resolved ticket, with the moment it is
due; the scan sends it then, reminds once, and the customer's POST answers it. Each step is a
conditional UPDATE on the status, so a scan that runs twice (or two workers at once) sends one
message, and a double submit records one answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models import InvalidTransition, Ticket
from helpdesk.references import hash_token, new_status_token

# A ticket resolved longer ago than this when the scan first sees it is history, not a follow-up
# (a queue that switches surveys on does not mail its whole archive).
LOOKBACK = timedelta(days=14)


class SurveySettings(models.Model):
    """How a queue follows up. A queue without a row uses the defaults below."""

    queue = models.OneToOneField(
        "helpdesk.Queue", on_delete=models.CASCADE, related_name="survey_settings", verbose_name=_("queue")
    )
    is_enabled = models.BooleanField(_("send follow-up surveys"), default=True)
    delay_days = models.PositiveSmallIntegerField(
        _("days after resolution"),
        default=2,
        help_text=_("Working days of the queue's calendar; the survey goes out while the queue is open."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"),
        default=3,
        help_text=_("Working days after the survey; one reminder if unanswered. 0 sends none."),
    )
    quiet_days = models.PositiveSmallIntegerField(
        _("quiet period (days)"),
        default=30,
        help_text=_("No survey to a customer who got one in this many days."),
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self):
        return str(self.queue)

    @classmethod
    def for_queue(cls, queue) -> SurveySettings:
        """The queue's settings, or the defaults (unsaved) when it has none."""
        try:
            return queue.survey_settings
        except cls.DoesNotExist:
            return cls(queue=queue)

    def due_after(self, resolved_at: datetime) -> datetime:
        return working_days_later(self.queue.calendar.calendar, resolved_at, self.delay_days)


def working_days_later(calendar, moment: datetime, days: int) -> datetime:
    """The same local time `days` working days later, moved into opening hours if it falls outside.

    A working day is one on which the calendar opens at all (holidays and weekends skipped).
    """
    local = moment.astimezone(calendar.tz)
    day, counted = local.date(), 0
    for _step in range(days * 7 + 14):
        if counted >= days:
            break
        day += timedelta(days=1)
        if calendar.intervals_on(day):
            counted += 1
    candidate = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=calendar.tz)
    return calendar.next_opening(candidate) or candidate


class SurveyOptOut(models.Model):
    """A customer who asked for no more surveys: respected for good."""

    class Via(models.TextChoices):
        PAGE = "page", _("Confirmation page")
        ONE_CLICK = "one_click", _("One-click unsubscribe in the mail program")
        AGENT = "agent", _("Asked an agent")

    customer = models.OneToOneField(
        "helpdesk.Customer", on_delete=models.CASCADE, related_name="survey_opt_out"
    )
    via = models.CharField(max_length=12, choices=Via)
    opted_out_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")

    def __str__(self):
        return str(self.customer)

    @classmethod
    def record(cls, customer, *, via: str) -> SurveyOptOut:
        opt_out, _created = cls.objects.get_or_create(customer=customer, defaults={"via": via})
        # Anything still waiting to go out to them is dropped at once, not at its due time.
        Survey.objects.filter(customer=customer, status=Survey.Status.SCHEDULED).update(
            status=Survey.Status.SKIPPED, skip_reason=Survey.SkipReason.OPTED_OUT
        )
        return opt_out

    @classmethod
    def set_for(cls, customer, *, opted_out: bool) -> bool:
        """At the customer's request, through an agent: out of surveys, or back in. True when it
        changed anything."""
        if not opted_out:
            deleted, _by_model = cls.objects.filter(customer=customer).delete()
            return bool(deleted)
        existed = cls.objects.filter(customer=customer).exists()
        cls.record(customer, via=cls.Via.AGENT)
        return not existed


class SurveyQuerySet(models.QuerySet):
    def with_token(self, token: str):
        """The survey a link opens: one indexed lookup of the token's hash."""
        return self.filter(links__token_hash=hash_token(token))

    def due(self, now: datetime):
        return self.filter(status=Survey.Status.SCHEDULED, due_at__lte=now)

    def reminder_due(self, now: datetime):
        return self.filter(status=Survey.Status.SENT, reminded_at__isnull=True, reminder_due_at__lte=now)

    def answered(self):
        return self.filter(status=Survey.Status.ANSWERED)

    def for_review(self):
        return self.filter(needs_review=True, reviewed_at__isnull=True)

    def in_queues(self, queues):
        return self.filter(ticket__queue__in=queues)

    def erase_personal_data(self) -> int:
        """The comments go and the links stop working; the ratings and answers stay (without
        the person) in the satisfaction figures. A survey not sent yet never goes."""
        self.filter(status=Survey.Status.SCHEDULED).update(
            status=Survey.Status.SKIPPED, skip_reason=Survey.SkipReason.OPTED_OUT
        )
        SurveyLink.objects.filter(survey__in=self).delete()
        return self.exclude(comment="").update(comment="")


class Survey(models.Model):
    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up after resolution")
        INCIDENT = "incident", _("Follow-up after an incident")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")
        ANSWERED = "answered", _("Answered")
        SKIPPED = "skipped", _("Not sent")

    class SkipReason(models.TextChoices):
        OPTED_OUT = "opted_out", _("The customer opted out of surveys")
        QUIET_PERIOD = "quiet_period", _("The customer had a survey recently")
        NO_EMAIL = "no_email", _("No email address")
        DISABLED = "disabled", _("Surveys are off for the queue")

    class Received(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        NOT_YET = "not_yet", _("Not yet")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.FOLLOW_UP)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="surveys")
    customer = models.ForeignKey("helpdesk.Customer", on_delete=models.CASCADE, related_name="surveys")
    # Where the ticket was when it was surveyed: the dashboard groups by them without a join.
    queue = models.ForeignKey("helpdesk.Queue", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10)
    incident = models.ForeignKey(
        "crisis.Incident", on_delete=models.CASCADE, null=True, blank=True, related_name="surveys"
    )
    language = models.CharField(_("language"), max_length=8)
    asks_about_compensation = models.BooleanField(_("asks about compensation"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SCHEDULED)
    skip_reason = models.CharField(_("not sent because"), max_length=14, choices=SkipReason, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    # Null while the ticket is open again: the scan sets it when the ticket is resolved again.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminder_due_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    solved = models.BooleanField(_("problem solved"), null=True, blank=True)
    compensation_received = models.CharField(
        _("compensation received"), max_length=8, choices=Received, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    needs_review = models.BooleanField(_("needs a manager's review"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("what the manager did"), blank=True)

    # The token of the link this instance was reached with or has just drawn (SurveyLink).
    token = ""

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            # Exactly one follow-up per ticket, whoever creates it and however often.
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(kind="follow_up"), name="one_follow_up_per_ticket"
            ),
            models.UniqueConstraint(
                fields=["customer", "incident"],
                condition=models.Q(kind="incident"),
                name="one_incident_follow_up_per_customer",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="survey_rating_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="survey_due"),
            models.Index(fields=["status", "reminder_due_at"], name="survey_reminder_due"),
            models.Index(fields=["customer", "sent_at"], name="survey_customer_sent"),
            models.Index(
                fields=["answered_at"], condition=models.Q(needs_review=True), name="survey_review_list"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.ticket.reference}"

    def save(self, *args, **kwargs):
        if not self.queue_id:
            self.queue_id, self.channel = self.ticket.queue_id, self.ticket.channel
        super().save(*args, **kwargs)

    @property
    def is_answerable(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def is_low_rating(self) -> bool:
        return self.rating is not None and self.rating <= 2

    # --- sending ---------------------------------------------------------------------------

    def draw_link(self) -> str:
        """A new link for the message being written (the invitation, the reminder); the older
        ones keep working. Returns the token, which is stored only hashed."""
        token = new_status_token()
        SurveyLink.objects.create(survey=self, token_hash=hash_token(token))
        self.token = token
        return token

    def reason_not_to_send(self, now: datetime) -> str:
        """Why this survey must not go out now, or "" when it may."""
        if not self.customer.email:
            return self.SkipReason.NO_EMAIL
        if SurveyOptOut.objects.filter(customer_id=self.customer_id).exists():
            return self.SkipReason.OPTED_OUT
        quiet_days = SurveySettings.for_queue(self.ticket.queue).quiet_days
        recent = Survey.objects.filter(
            customer_id=self.customer_id, sent_at__gte=now - timedelta(days=quiet_days)
        ).exclude(pk=self.pk)
        if quiet_days and recent.exists():
            return self.SkipReason.QUIET_PERIOD
        return ""

    def skip(self, reason: str) -> None:
        self.status, self.skip_reason = self.Status.SKIPPED, reason
        self.save(update_fields=["status", "skip_reason"])

    def mark_sent(self, now: datetime) -> None:
        config = SurveySettings.for_queue(self.ticket.queue)
        self.status, self.sent_at = self.Status.SENT, now
        if config.reminder_days:
            self.reminder_due_at = working_days_later(
                self.ticket.queue.calendar.calendar, now, config.reminder_days
            )
        self.save(update_fields=["status", "sent_at", "reminder_due_at"])

    def wait_for_resolution(self) -> None:
        """The ticket was reopened before its survey went out: ask after it is resolved again."""
        self.due_at = None
        self.save(update_fields=["due_at"])

    # --- the customer's answer ---------------------------------------------------------------

    def answer(
        self, *, rating: int, solved: bool, compensation_received: str = "", comment: str = ""
    ) -> None:
        """Record the customer's answer once; "not solved" reopens the ticket for its agent.

        A low rating (2 or less) or a compensation not received puts the ticket on the
        manager's review list.
        """
        now = timezone.now()
        if not self.asks_about_compensation:
            compensation_received = ""
        needs_review = rating <= 2 or compensation_received == self.Received.NO
        with transaction.atomic():
            # Conditional: a double submit or two tabs record one answer, not two.
            answered = Survey.objects.filter(pk=self.pk, status=self.Status.SENT).update(
                status=self.Status.ANSWERED,
                answered_at=now,
                rating=rating,
                solved=solved,
                compensation_received=compensation_received,
                comment=comment.strip(),
                needs_review=needs_review,
            )
            if not answered:
                raise InvalidTransition(_("This survey has already been answered."))
            self.refresh_from_db()
            self.ticket.add_note(by=None, body=self.summary_for_staff())
            if solved is False and not self.ticket.is_open:
                from feedback.surveys.emails import tell_agent_not_solved

                self.ticket.reopen()
                tell_agent_not_solved(self)

    def summary_for_staff(self) -> str:
        lines = [
            _("Survey answer: %(rating)s of 5, problem solved: %(solved)s.")
            % {"rating": self.rating, "solved": _("yes") if self.solved else _("no")}
        ]
        if self.compensation_received:
            lines.append(
                _("Compensation received: %(answer)s.") % {"answer": self.get_compensation_received_display()}
            )
        if self.comment:
            lines.append(_("Comment: %(comment)s") % {"comment": self.comment})
        return "\n".join(str(line) for line in lines)

    # --- the manager's review --------------------------------------------------------------

    def mark_reviewed(self, *, by, note: str) -> None:
        updated = Survey.objects.filter(pk=self.pk, needs_review=True, reviewed_at__isnull=True).update(
            reviewed_at=timezone.now(), reviewed_by=by, review_note=note.strip()
        )
        if not updated:
            raise InvalidTransition(_("This answer has already been reviewed."))
        self.refresh_from_db()


class SurveyLink(models.Model):
    """A link to a survey we sent, held only as its token's hash: one per message sent."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"{self.survey_id} · {self.token_hash[:8]}"
