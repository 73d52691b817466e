"""Attempts at the public status lookups, counted per client address (and per email address).

Counted in the database rather than in Django's cache: the cache may be per process in
production, where each web worker would then allow its own ten guesses. The worker deletes
rows older than a day (helpdesk.tasks.forget_old_lookup_attempts).
"""

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a row matters: longer than the longest window of any limit.
KEPT_FOR = timedelta(days=1)


class LookupAttemptQuerySet(models.QuerySet):
    def within(self, *, purpose: str, key: str, since: datetime):
        return self.filter(purpose=purpose, key=key, created_at__gt=since)

    def expired(self, now: datetime | None = None):
        return self.filter(created_at__lt=(now or timezone.now()) - KEPT_FOR)


class LookupAttempt(models.Model):
    class Purpose(models.TextChoices):
        STATUS = "status", _("Status lookup")
        LINKS = "links", _("Status links by email")
        LINKS_TO = "links_to", _("Status links to one address")

    purpose = models.CharField(max_length=10, choices=Purpose)
    # "203.0.113.7" for an address; a SHA-256 of an email address (never the address itself).
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    objects = LookupAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("lookup attempt")
        verbose_name_plural = _("lookup attempts")
        indexes = [
            models.Index(fields=["purpose", "key", "created_at"], name="lookup_attempt_recent"),
            models.Index(fields=["created_at"], name="lookup_attempt_created"),
        ]

    def __str__(self):
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
