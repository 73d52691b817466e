"""Erasing a customer's personal data takes two managers: one asks, another confirms.

Erasure cannot be undone, so no one person can do it from the customer page. The confirmation
is a conditional UPDATE of the pending request: of two managers confirming at once, one erases
and the other is told it was done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.errors import InvalidTransition
from helpdesk.models.labels import ChoiceLabels
from helpdesk.roles import is_manager


class ErasureRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ErasureRequest.State.PENDING)


class ErasureRequest(ChoiceLabels):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a second manager")
        CONFIRMED = "confirmed", _("Erased")
        CANCELLED = "cancelled", _("Cancelled")

    customer = models.ForeignKey(
        "helpdesk.Customer", on_delete=models.CASCADE, related_name="erasure_requests"
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # How many of each thing were erased: figures only, never what they held.
    erased = models.JSONField(default=dict, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(state="pending"),
                name="one_pending_erasure_per_customer",
            )
        ]

    def __str__(self):
        return f"{self.customer_id} · {self.state}"

    @classmethod
    def ask(cls, customer, *, by) -> ErasureRequest:
        """A manager asks to erase the customer; it waits for another manager."""
        if not is_manager(by):
            raise InvalidTransition(_("Only a manager can ask to erase a customer's personal data."))
        if customer.erased_at is not None:
            raise InvalidTransition(_("This customer's personal data has already been erased."))
        try:
            with transaction.atomic():
                return cls.objects.create(customer=customer, requested_by=by)
        except IntegrityError as error:  # the unique index: someone asked a moment before
            if cls.objects.pending().filter(customer=customer).exists():
                raise InvalidTransition(
                    _("An erasure of this customer is already waiting for a second manager.")
                ) from error
            raise

    def confirm(self, *, by) -> dict[str, int]:
        """A second manager confirms: the customer's personal data is erased at once."""
        from helpdesk.personal_data.erasure import erase_customer

        if not is_manager(by):
            raise InvalidTransition(_("Only a manager can confirm an erasure."))
        if by.pk == self.requested_by_id:
            raise InvalidTransition(
                _("You asked for this erasure yourself: another manager has to confirm it.")
            )
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.pending()
                .filter(pk=self.pk)
                .update(state=self.State.CONFIRMED, decided_by=by, decided_at=timezone.now())
            )
            if not claimed:
                raise InvalidTransition(_("This erasure was already confirmed or cancelled."))
            erased = erase_customer(self.customer)
            type(self).objects.filter(pk=self.pk).update(erased=erased)
        self.refresh_from_db()
        return erased

    def cancel(self, *, by) -> None:
        if not is_manager(by):
            raise InvalidTransition(_("Only a manager can cancel an erasure."))
        cancelled = (
            type(self)
            .objects.pending()
            .filter(pk=self.pk)
            .update(state=self.State.CANCELLED, decided_by=by, decided_at=timezone.now())
        )
        if not cancelled:
            raise InvalidTransition(_("This erasure was already confirmed or cancelled."))
        self.refresh_from_db()
