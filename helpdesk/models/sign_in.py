"""A manager lifting a sign-in lockout before it ran out: who lifted whose, and when.

The failed sign-ins and the lockouts themselves are django-axes's records (AccessAttempt while
they count, AccessFailureLog for good); see helpdesk.sign_in_lockouts.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LockoutLift(models.Model):
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lifted by")
    )
    lifted_at = models.DateTimeField(_("lifted at"), default=timezone.now)
    # One of the two: the account or the client address whose sign-ins were paused.
    username = models.CharField(_("account"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failed sign-ins"))

    class Meta:
        verbose_name = _("lifted sign-in lockout")
        verbose_name_plural = _("lifted sign-in lockouts")
        ordering = ["-lifted_at"]

    def __str__(self):
        return f"{self.username or self.ip_address} {self.lifted_at:%Y-%m-%d %H:%M}"
