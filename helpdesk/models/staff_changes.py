from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpdesk.models.labels import ChoiceLabels

# The roles the staff page sets, as recorded in a change ("from" and "to").
ROLE_LABELS = {
    "": pgettext_lazy("staff role", "No role"),
    "agent": pgettext_lazy("staff role", "Agent"),
    "manager": pgettext_lazy("staff role", "Manager"),
}


class StaffChangeQuerySet(models.QuerySet):
    def latest_first(self):
        return self.select_related("by", "whom").order_by("-at", "-pk")


class StaffChange(ChoiceLabels):
    """One change to a staff account made on the staff page: who, whom, when, what.

    Written by helpdesk.staff_accounts in the transaction of the change; never edited.
    """

    class Kind(models.TextChoices):
        ADDED = "added", _("Account added")
        ROLE_CHANGED = "role_changed", _("Role changed")
        DEACTIVATED = "deactivated", _("Account deactivated")
        REACTIVATED = "reactivated", _("Account reactivated")
        RESET_LINK_SENT = "reset_link_sent", _("Password link sent")

    at = models.DateTimeField(_("when"), default=timezone.now)
    # PROTECT: an account that appears in the record is deactivated, never deleted.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    whom = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_changes")
    kind = models.CharField(_("what"), max_length=20, choices=Kind)
    # The role before and after ("agent", "manager", "" for none) of a role change or an addition.
    role_from = models.CharField(max_length=10, blank=True)
    role_to = models.CharField(max_length=10, blank=True)

    objects = StaffChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff account change")
        verbose_name_plural = _("staff account changes")
        indexes = [models.Index(fields=["-at"], name="staffchange_latest")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.by} {self.kind} {self.whom}"

    @property
    def role_from_label(self):
        return ROLE_LABELS.get(self.role_from, self.role_from)

    @property
    def role_to_label(self):
        return ROLE_LABELS.get(self.role_to, self.role_to)
