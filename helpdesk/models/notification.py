from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.labels import ChoiceLabels

# Waits between delivery attempts; after the last one the notification is marked failed (and
# stays visible, so an agent can retry it: nothing is lost).
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
]


class NotificationQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now or timezone.now())

    def stalled(self, claimed_before):
        """Claimed for sending so long ago that the worker which claimed them must have died."""
        return self.filter(status=Notification.Status.SENDING, claimed_at__lt=claimed_before)

    def erase_personal_data(self) -> int:
        """The messages keep their kind and times (the figures), not their address or text; one
        still waiting is never sent."""
        self.filter(status=Notification.Status.PENDING).update(status=Notification.Status.FAILED)
        return self.update(
            to_email="",
            subject="",
            body_text="",
            body_html="",
            extra_headers={},
            last_error="",
            bounce_reason="",
        )


class Notification(ChoiceLabels):
    """The outbox: one message to one customer, written in the transaction that caused it."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        REPLY = "reply", _("Agent reply")
        STATUS = "status", _("Status update")
        STATUS_LINKS = "status_links", _("Status links")
        CHAT_TRANSCRIPT = "chat_transcript", _("Chat transcript")
        PERSONAL_DATA = "personal_data", _("Link to a copy of their data")
        SURVEY = "survey", _("Follow-up survey")
        # Messages to many (an app's announcements, such as an incident update) and the
        # double opt-in that confirms an address before it receives them.
        ANNOUNCEMENT = "announcement", _("Announcement")
        CONFIRMATION = "confirmation", _("Address confirmation")
        # To a staff member: the link to set their password (a new account, or a reset).
        PASSWORD_LINK = "password_link", _("Password link")
        # To an agent who chose to have this kind of their notifications by email as well.
        AGENT_ALERT = "agent_alert", _("Agent notification")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    ticket = models.ForeignKey(
        "helpdesk.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    customer = models.ForeignKey(
        "helpdesk.Customer", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # The timeline entry whose files go with the message (an agent's reply with attachments).
    entry = models.ForeignKey(
        "helpdesk.TicketEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    message_id = models.CharField(max_length=300, unique=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    # Headers the message needs beyond threading: List-Unsubscribe on a survey or an announcement.
    extra_headers = models.JSONField(default=dict, blank=True)

    status = models.CharField(_("delivery"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    bounce_reason = models.TextField(_("bounce reason"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["to_email", "kind", "created_at"], name="notification_address_recent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to_email} ({self.get_status_display()})"

    @property
    def can_retry(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.BOUNCED)

    def retry(self, *, by) -> None:
        """An agent asks for one more attempt: the same message (same Message-ID), not a copy."""
        from helpdesk.mail.outbox import enqueue_delivery
        from helpdesk.models.ticket import InvalidTransition, TicketEntry

        previous, now = self.status, timezone.now()
        with transaction.atomic():
            # Conditional, so a double click or two agents at once give one attempt, not two.
            retried = Notification.objects.filter(
                pk=self.pk, status__in=[self.Status.FAILED, self.Status.BOUNCED]
            ).update(status=self.Status.PENDING, next_attempt_at=now, claimed_at=None)
            if not retried:
                raise InvalidTransition(_("Only a failed or bounced message can be sent again."))
            self.status, self.next_attempt_at, self.claimed_at = self.Status.PENDING, now, None
            transaction.on_commit(lambda: enqueue_delivery(self.pk), robust=True)
            if self.ticket_id:
                self.ticket.record_event(
                    TicketEntry.Event.NOTIFICATION_RETRIED,
                    by=by,
                    data={"kind": self.kind, "to": self.to_email, "notification": self.pk, "was": previous},
                    public=False,
                )

    def record_bounce(self, reason: str) -> None:
        """The customer's mail server returned this message: agents must see it on the ticket."""
        if self.status == self.Status.BOUNCED:
            return
        self.status, self.bounced_at, self.bounce_reason = self.Status.BOUNCED, timezone.now(), reason[:2000]
        self.save(update_fields=["status", "bounced_at", "bounce_reason"])
        if self.ticket_id:
            from helpdesk.models.ticket import TicketEntry

            self.ticket.record_event(
                TicketEntry.Event.NOT_DELIVERED,
                data={"kind": self.kind, "to": self.to_email, "reason": reason[:500]},
                public=False,
            )
