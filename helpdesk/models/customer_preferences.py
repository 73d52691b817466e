from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PreferenceChange(models.Model):
    """An agent changed a customer's preferences at the customer's request: who, when, what, and
    how the customer asked. Written by helpdesk.personal_data.preferences; never edited. Kept as
    long as the customer: it is the proof of what they asked for."""

    customer = models.ForeignKey(
        "helpdesk.Customer", on_delete=models.CASCADE, related_name="preference_changes"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    # PROTECT: an account that appears in the record is deactivated, never deleted.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # [{"preference": name, "value": the new value}], named as the preferences name themselves
    # (helpdesk.hooks.CustomerPreference.name; "language" for the helpdesk's own).
    changes = models.JSONField(default=list)
    request = models.TextField(_("the customer's request"))

    class Meta:
        verbose_name = _("preference change")
        verbose_name_plural = _("preference changes")
        indexes = [models.Index(fields=["customer", "-at"], name="preference_change_latest")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.customer_id}"
