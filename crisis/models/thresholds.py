"""Above what a grant needs a second manager's approval: per kind and currency, set by managers.

Four eyes on large amounts, whoever proposes: above the amount in force, a grant needs the
approval of two managers, neither of them its proposer (CompensationProposal.approve). Without a
row of its own, a kind and currency has the default below. A stricter amount applies at once; a
looser one (raised) only after LOOSENING_DELAY, so nobody raises the amount and then approves
alone in the same minute: the other managers see the change coming on the thresholds page and on
the audit trail in the meantime.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisis.models.audit import AuditEntry
from crisis.models.compensation import Currency, Kind, days_label, money_label

# Until managers set their own: about 250 EUR in each currency, and three months of a duration.
DEFAULT_ABOVE = {"HUF": Decimal(100_000), "PLN": Decimal(1_000), "EUR": Decimal(250), "": 90}
LOOSENING_DELAY = timedelta(hours=24)


def default_labels() -> list[str]:
    """The defaults, as the thresholds page lists them."""
    return [money_label(amount, currency) for currency, amount in DEFAULT_ABOVE.items() if currency] + [
        days_label(DEFAULT_ABOVE[""])
    ]


def _plain(value) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    return f"{value:.2f}"


class ApprovalThreshold(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency, blank=True, help_text=_("Empty for a duration.")
    )
    above_amount = models.DecimalField(
        _("second approval above amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    above_days = models.PositiveIntegerField(_("second approval above days"), null=True, blank=True)
    # What applied before a looser value takes effect.
    previous_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    previous_days = models.PositiveIntegerField(null=True, blank=True)
    takes_effect_at = models.DateTimeField(_("takes effect"), default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("second-approval amount")
        verbose_name_plural = _("second-approval amounts")
        ordering = ["kind", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "currency"], name="approval_threshold_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label(self.value)}"

    def clean(self):
        if self.currency and (self.above_amount is None or self.above_amount < 0):
            raise ValidationError({"above_amount": _("Give an amount of zero or more for this currency.")})
        if not self.currency and self.above_days is None:
            raise ValidationError(
                {"above_days": _("Give a number of days, or choose a currency and amount.")}
            )

    @property
    def value(self):
        return self.above_amount if self.currency else self.above_days

    @property
    def previous(self):
        return self.previous_amount if self.currency else self.previous_days

    def in_force(self, now: datetime | None = None):
        if self.takes_effect_at <= (now or timezone.now()) or self.previous is None:
            return self.value
        return self.previous

    def label(self, value) -> str:
        return money_label(value, self.currency) if self.currency else days_label(value)

    @property
    def value_label(self) -> str:
        return self.label(self.value)

    @property
    def previous_label(self) -> str:
        return self.label(self.previous) if self.previous is not None else ""

    @classmethod
    def above(cls, kind: str, currency: str, now: datetime | None = None):
        """The amount (or days) above which a grant of this kind needs two managers."""
        threshold = cls.objects.filter(kind=kind, currency=currency).first()
        if threshold is None:
            return DEFAULT_ABOVE[currency]
        return threshold.in_force(now)

    @classmethod
    def set(cls, *, kind: str, currency: str, amount=None, days=None, by) -> "ApprovalThreshold":
        """A manager sets the amount: stricter at once, looser after LOOSENING_DELAY; audited."""
        currency = currency or ""
        value = amount if currency else days
        now = timezone.now()
        with transaction.atomic():
            threshold = cls.objects.select_for_update().filter(kind=kind, currency=currency).first()
            in_force = threshold.in_force(now) if threshold else DEFAULT_ABOVE[currency]
            before = threshold.snapshot(now) if threshold else {"in_force": _plain(in_force)}
            threshold = threshold or cls(kind=kind, currency=currency)
            looser = value > in_force
            threshold.above_amount = amount if currency else None
            threshold.above_days = None if currency else days
            threshold.previous_amount = in_force if looser and currency else None
            threshold.previous_days = in_force if looser and not currency else None
            threshold.takes_effect_at = now + LOOSENING_DELAY if looser else now
            threshold.set_by, threshold.set_at = by, now
            threshold.full_clean(exclude=["set_by"], validate_unique=False)
            threshold.save()
            AuditEntry.objects.create(
                actor=by,
                action=AuditEntry.Action.THRESHOLD_SET,
                subject=str(threshold),
                before=before,
                after=threshold.snapshot(now),
            )
        return threshold

    def snapshot(self, now: datetime | None = None) -> dict:
        return {
            "kind": self.kind,
            "currency": self.currency,
            "value": _plain(self.value),
            "in_force": _plain(self.in_force(now)),
            "takes_effect_at": self.takes_effect_at.isoformat(),
        }
