from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.labels import ChoiceLabels


class AccessRecordQuerySet(models.QuerySet):
    def latest_first(self):
        """As the record's pages list it: what was looked at, named without reading more."""
        return self.select_related("staff", "ticket", "customer").order_by("-at", "-pk")

    def forget_details_naming(self, customer, texts) -> int:
        """An erasure: the words typed that may name the person go (a search for her name, her
        address, her number; whatever was typed on a look at her). Who looked, and when, stay."""
        naming = models.Q(customer=customer)
        for text in texts:
            naming |= models.Q(detail__icontains=text)
        return self.filter(naming).exclude(detail="").update(detail="")


class AccessRecord(ChoiceLabels):
    """A staff member looked at personal data: opened a request or a customer's page, searched
    customers, or exported. Written by helpdesk.personal_data.access.record_access; never
    edited; removed after RETENTION_ACCESS_RECORD_DAYS by the retention policy."""

    class Kind(models.TextChoices):
        OPENED_TICKET = "ticket", _("Opened a request")
        OPENED_CUSTOMER = "customer", _("Opened a customer's page")
        SEARCHED_CUSTOMERS = "search", _("Searched customers")
        SEARCHED_TICKETS = "ticket_search", _("Searched requests")
        EXPORTED = "export", _("Exported")

    at = models.DateTimeField(_("when"), default=timezone.now)
    # PROTECT: an account that appears in the record is deactivated, never deleted.
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind)
    ticket = models.ForeignKey(
        "helpdesk.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The customer whose data it was: the one opened, or the customer of the request opened.
    # A named relation, so a merge of two customer records brings the duplicate's record along.
    customer = models.ForeignKey(
        "helpdesk.Customer", on_delete=models.SET_NULL, null=True, blank=True, related_name="access_records"
    )
    # What was searched for (itself possibly personal data: a name, an address) or exported.
    detail = models.CharField(_("details"), max_length=300, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        indexes = [
            models.Index(fields=["customer", "-at"], name="access_by_customer"),
            models.Index(fields=["staff", "-at"], name="access_by_staff"),
            models.Index(fields=["at"], name="access_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.staff_id} {self.kind}"

    def forget(self) -> bool:
        """Retention: the record of this look is removed; True when this call removed it."""
        deleted, _by_model = type(self).objects.filter(pk=self.pk).delete()
        return bool(deleted)
