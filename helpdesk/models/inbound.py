import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundEmailQuerySet(models.QuerySet):
    def quarantined(self):
        return self.filter(outcome=InboundEmail.Outcome.QUARANTINED, review=InboundEmail.Review.PENDING)

    def erase_personal_data(self) -> int:
        """The raw message, its sender and subject go; that it arrived, and what became of it, stay."""
        return self.update(raw=b"", from_address="", subject="", reason="", review_note="")


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
    # When the retention policy removed the raw message (helpdesk.personal_data.retention).
    raw_removed_at = models.DateTimeField(null=True, blank=True)

    objects = InboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        indexes = [models.Index(fields=["outcome", "review", "received_at"], name="inbound_review_queue")]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.subject or self.message_id or self.pk}"

    def _close_review(self, review, *, by, note="", ticket=None) -> None:
        from helpdesk.models.ticket import InvalidTransition

        if self.review != self.Review.PENDING:
            raise InvalidTransition(_("This message has already been dealt with."))
        self.review, self.reviewed_by, self.reviewed_at, self.review_note = review, by, timezone.now(), note
        fields = ["review", "reviewed_by", "reviewed_at", "review_note"]
        if ticket is not None:
            self.ticket = ticket
            fields.append("ticket")
        self.save(update_fields=fields)

    def convert(self, ticket, *, by) -> None:
        """An agent made a ticket of this quarantined message."""
        self._close_review(self.Review.CONVERTED, by=by, ticket=ticket)

    def discard(self, *, by, note: str) -> None:
        """An agent decided the message needs no ticket, and said why (kept for the record)."""
        self._close_review(self.Review.DISCARDED, by=by, note=note)

    def drop_raw_source(self) -> bool:
        """Retention: the raw message of a ticket's email is no longer kept; the ticket holds its
        text and files. Never while the ticket is open; conditional, so of two runs at once one
        drops it. True when this call did."""
        from helpdesk.models.ticket import ENDED_STATUSES

        return self._remove_raw(
            type(self).objects.filter(ticket__status__in=ENDED_STATUSES),
        )

    def forget_quarantined(self) -> bool:
        """Retention: a quarantined message once decided: its raw source, sender and subject go;
        the decision (who, when, why) stays. Never while the ticket made of it is open."""
        from helpdesk.models.ticket import ENDED_STATUSES

        decided = type(self).objects.exclude(review__in=[self.Review.NONE, self.Review.PENDING])
        return self._remove_raw(
            decided.filter(models.Q(ticket__isnull=True) | models.Q(ticket__status__in=ENDED_STATUSES)),
            from_address="",
            subject="",
        )

    def _remove_raw(self, allowed, **cleared) -> bool:
        now = timezone.now()
        removed = allowed.filter(pk=self.pk, raw_removed_at__isnull=True).update(
            raw=b"", raw_removed_at=now, **cleared
        )
        if removed:
            self.raw, self.raw_removed_at = b"", now
            for name, value in cleared.items():
                setattr(self, name, value)
        return bool(removed)

    @property
    def raw_text(self) -> str:
        """The raw message for display: bytes decoded leniently, never failing."""
        return bytes(self.raw).decode("utf-8", errors="replace")

    @staticmethod
    def dedupe_key_for(message_id: str, raw: bytes) -> str:
        return message_id.strip() or "sha256:" + hashlib.sha256(raw).hexdigest()
