import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundEmailQuerySet(models.QuerySet):
    def quarantined(self):
        return self.filter(outcome=InboundEmail.Outcome.QUARANTINED, review=InboundEmail.Review.PENDING)


class InboundEmail(models.Model):
    """Every email that reached us, whatever became of it: nothing is silently dropped.

    The dedupe key is the Message-ID, or a hash of the raw bytes for mail without one, so the
    same message delivered twice (two mailboxes, a re-run of the importer) is recognised.
    """

    class Outcome(models.TextChoices):
        CREATED = "created", _("Created a ticket")
        THREADED = "threaded", _("Added to a ticket")
        IGNORED = "ignored", _("Ignored")
        BOUNCE = "bounce", _("Bounce recorded")
        QUARANTINED = "quarantined", _("Quarantined")

    class Review(models.TextChoices):
        NONE = "", _("Not needed")
        PENDING = "pending", _("Waiting for review")
        CONVERTED = "converted", _("Turned into a ticket")
        DISCARDED = "discarded", _("Discarded")

    dedupe_key = models.CharField(max_length=998, unique=True)
    message_id = models.CharField(max_length=998, blank=True)
    source = models.CharField(_("source"), max_length=300, help_text=_("File, mailbox or IMAP folder."))
    from_address = models.CharField(_("from"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    raw = models.BinaryField(_("raw message"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome)
    reason = models.TextField(_("reason"), blank=True)
    ticket = models.ForeignKey(
        "helpdesk.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    review = models.CharField(_("review"), max_length=10, choices=Review, blank=True, default=Review.NONE)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = InboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        indexes = [models.Index(fields=["outcome", "review", "received_at"], name="inbound_review_queue")]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.subject or self.message_id or self.pk}"

    @staticmethod
    def dedupe_key_for(message_id: str, raw: bytes) -> str:
        return message_id.strip() or "sha256:" + hashlib.sha256(raw).hexdigest()
