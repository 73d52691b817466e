"""One sender's recent attempts under one limit: the row `helpdesk.rate_limits.take` locks.

Counted in the database rather than in Django's cache: the cache may be per process in
production, where each web worker would then allow its own ten. The worker deletes rows
untouched for a day (helpdesk.tasks.forget_old_attempts).
"""

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a row matters: longer than the longest window of any limit.
KEPT_FOR = timedelta(days=1)


class RateLimitQuerySet(models.QuerySet):
    def expired(self, now: datetime | None = None):
        return self.filter(last_attempt_at__lt=(now or timezone.now()) - KEPT_FOR)


class RateLimit(models.Model):
    # "web-form-ip", "status-lookup-ip", ...: which limit (see helpdesk.rate_limits).
    name = models.CharField(max_length=40)
    # "203.0.113.7" for an address; a SHA-256 of an email address (never the address itself).
    key = models.CharField(max_length=64)
    # The times (ISO 8601) of the attempts still inside the window, oldest first: at most the
    # limit's number of them, so the row stays small and a place frees up when the oldest leaves.
    attempts = models.JSONField(default=list)
    last_attempt_at = models.DateTimeField(default=timezone.now)

    objects = RateLimitQuerySet.as_manager()

    class Meta:
        verbose_name = _("rate limit")
        verbose_name_plural = _("rate limits")
        constraints = [models.UniqueConstraint(fields=["name", "key"], name="rate_limit_one_row_per_sender")]
        indexes = [models.Index(fields=["last_attempt_at"], name="rate_limit_last_attempt")]

    def __str__(self):
        return f"{self.name} {self.key}"
