"""Compensation for customers hit by an incident: policies, agents' grant limits, proposals.

Management decides compensation; an agent may grant a small gesture on the spot up to the limit
a manager set for them (recorded and reviewable). Everything above waits for a manager who did
not propose it; agents never approve. Every change leaves an AuditEntry with before and after.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crisis.models.audit import AuditEntry
from helpdesk.models import InvalidTransition
from helpdesk.models.staff import staff_name
from helpdesk.roles import is_manager


class Kind(models.TextChoices):
    BILL_CREDIT = "bill_credit", _("Bill credit")
    FEE_WAIVER = "fee_waiver", _("Fee waiver")
    VOUCHER = "voucher", _("Voucher")
    WARRANTY_EXTENSION = "warranty_extension", _("Warranty extension")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    HUF = "HUF", "HUF"
    PLN = "PLN", "PLN"
    EUR = "EUR", "EUR"


def money_label(amount, currency: str) -> str:
    # Thousands grouped with a non-breaking space, as Hungarian and Polish write them.
    return f"{amount.normalize():,f} {currency}".replace(",", "\u00a0")


def _decimal(value) -> str | None:
    """Amounts on the audit trail always with two decimals, whether typed or read back."""
    return None if value is None else f"{value:.2f}"


def days_label(days: int | None) -> str:
    return ngettext("%(days)s day", "%(days)s days", days or 0) % {"days": days}


class CompensationValue(models.Model):
    """What is given: an amount in a currency, or a duration (a warranty extended by days)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, blank=True)
    duration_days = models.PositiveIntegerField(_("duration in days"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean_value(self) -> None:
        has_amount = self.amount is not None
        if has_amount == bool(self.duration_days):
            raise ValidationError(_("Give either an amount with its currency or a duration in days."))
        if has_amount and self.amount <= 0:
            raise ValidationError({"amount": _("The amount must be more than zero.")})
        if has_amount and not self.currency:
            raise ValidationError({"currency": _("Choose the currency of the amount.")})
        if not has_amount and self.currency:
            self.currency = ""

    @property
    def value_label(self) -> str:
        if self.amount is not None:
            return money_label(self.amount, self.currency)
        return days_label(self.duration_days)


class CompensationPolicy(CompensationValue):
    """What management offers the customers of one incident, and who is eligible."""

    incident = models.ForeignKey(
        "crisis.Incident",
        on_delete=models.PROTECT,
        related_name="compensation_policies",
        verbose_name=_("incident"),
    )
    title = models.CharField(_("title"), max_length=200)
    eligibility = models.TextField(_("who is eligible"))
    categories = models.ManyToManyField(
        "helpdesk.Category", blank=True, related_name="+", verbose_name=_("eligible categories")
    )
    is_active = models.BooleanField(_("offered"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("compensation policy")
        verbose_name_plural = _("compensation policies")
        ordering = ["-is_active", "title", "pk"]

    def __str__(self):
        return f"{self.title} ({self.value_label})"

    def clean(self):
        self.clean_value()

    def offer(self, *, incident, by, categories=()) -> None:
        """A new policy for the incident, offered to agents at once; on the audit trail."""
        with transaction.atomic():
            self.incident, self.created_by = incident, by
            self.save()
            self.categories.set(categories)
            self._audit(AuditEntry.Action.POLICY_CREATED, by=by)

    def change(self, *, by, categories=None) -> None:
        """Save what a manager changed, with the policy as it was before on the audit trail."""
        with transaction.atomic():
            before = type(self).objects.select_for_update().get(pk=self.pk).snapshot()
            self.save()
            if categories is not None:
                self.categories.set(categories)
            self._audit(AuditEntry.Action.POLICY_CHANGED, by=by, before=before)

    def _audit(self, action, *, by, before=None) -> AuditEntry:
        return AuditEntry.objects.create(
            actor=by,
            action=action,
            incident_id=self.incident_id,
            subject=str(self),
            before=before or {},
            after=self.snapshot(),
        )

    def snapshot(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "amount": _decimal(self.amount),
            "currency": self.currency,
            "duration_days": self.duration_days,
            "eligibility": self.eligibility,
            "is_active": self.is_active,
        }


class GrantLimit(models.Model):
    """Up to what an agent may grant one customer on the spot, per kind and currency."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="compensation_limits",
        verbose_name=_("agent"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency, blank=True, help_text=_("Empty for a duration.")
    )
    max_amount = models.DecimalField(
        _("up to amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_days = models.PositiveIntegerField(_("up to days"), null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("grant limit")
        verbose_name_plural = _("grant limits")
        ordering = ["agent__username", "kind", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "kind", "currency"], name="grant_limit_once"),
        ]

    def __str__(self):
        return f"{self.agent}: {self.get_kind_display()} {self.limit_label}"

    def clean(self):
        if self.currency and self.max_amount is None:
            raise ValidationError({"max_amount": _("Give the amount for this currency.")})
        if not self.currency and self.max_days is None:
            raise ValidationError({"max_days": _("Give a number of days, or choose a currency and amount.")})

    @property
    def limit_label(self) -> str:
        if self.currency:
            return money_label(self.max_amount, self.currency)
        return days_label(self.max_days)

    def snapshot(self) -> dict:
        return {
            "agent": self.agent.get_username(),
            "kind": self.kind,
            "currency": self.currency,
            "max_amount": _decimal(self.max_amount),
            "max_days": self.max_days,
        }

    @classmethod
    def set_for(
        cls, agent, *, kind: str, currency: str = "", max_amount=None, max_days=None, by
    ) -> "GrantLimit":
        """A manager sets what another person may grant on the spot; one limit per kind and
        currency (setting it again changes it). Nobody sets their own: a limit is a permission
        one person gives another, or it is no control at all."""
        if not is_manager(by):
            raise InvalidTransition(_("Only a manager can set a limit."))
        if agent.pk == by.pk:
            raise InvalidTransition(_("Another manager sets this: nobody sets their own limit."))
        currency = currency or ""
        with transaction.atomic():
            limit = cls.objects.select_for_update().filter(agent=agent, kind=kind, currency=currency).first()
            before = limit.snapshot() if limit else {}
            limit = limit or cls(agent=agent, kind=kind, currency=currency)
            limit.max_amount, limit.max_days = max_amount, max_days
            limit.set_by, limit.set_at = by, timezone.now()
            limit.save()
            AuditEntry.objects.create(
                actor=by,
                action=AuditEntry.Action.LIMIT_SET,
                subject=str(limit),
                before=before,
                after=limit.snapshot(),
            )
        return limit

    def remove(self, *, by) -> None:
        with transaction.atomic():
            AuditEntry.objects.create(
                actor=by, action=AuditEntry.Action.LIMIT_REMOVED, subject=str(self), before=self.snapshot()
            )
            self.delete()

    def covers(self, value: CompensationValue, *, already=0) -> bool:
        """Whether the value, on top of what was `already` granted, stays within the limit."""
        if value.amount is not None:
            return (
                self.currency == value.currency
                and self.max_amount is not None
                and value.amount + already <= self.max_amount
            )
        return (
            self.max_days is not None
            and value.duration_days is not None
            and value.duration_days + already <= self.max_days
        )


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=CompensationProposal.State.PENDING)

    def overdue(self, now: datetime | None = None):
        return self.pending().filter(Q(overdue_since__isnull=False) | Q(decide_by__lte=now or timezone.now()))

    def due_for_handover(self, now: datetime):
        return self.pending().filter(decide_by__lte=now)

    def to_review(self):
        """Granted on the spot within an agent's limit and not yet looked at by a manager."""
        return self.filter(granted_on_the_spot=True, reviewed_at__isnull=True)

    def open_for_customer(self):
        """What the customer's status page speaks of: everything not withdrawn."""
        return self.exclude(state=CompensationProposal.State.WITHDRAWN)

    def submit_all(self, proposals: list, *, by, note: str) -> list:
        """Save new proposals for several tickets at once, each waiting for its decider, with an
        audit row each, in one transaction."""
        with transaction.atomic():
            self.bulk_create(proposals, batch_size=500)
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor=by,
                        action=AuditEntry.Action.PROPOSED,
                        incident=proposal.incident,
                        ticket_id=proposal.ticket_id,
                        proposal=proposal,
                        subject=str(proposal),
                        after=proposal.snapshot(),
                        note=note,
                    )
                    for proposal in proposals
                ],
                batch_size=500,
            )
        return proposals


class CompensationProposal(CompensationValue):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a manager")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FULFILLED = "fulfilled", _("Fulfilled")

    incident = models.ForeignKey(
        "crisis.Incident",
        on_delete=models.PROTECT,
        related_name="compensation_proposals",
        verbose_name=_("incident"),
    )
    ticket = models.ForeignKey(
        "helpdesk.Ticket", on_delete=models.PROTECT, related_name="compensation_proposals"
    )
    policy = models.ForeignKey(
        CompensationPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("policy"),
    )
    justification = models.TextField(_("justification"))
    # Proposals made together for all the incident's linked tickets share a batch.
    batch = models.UUIDField(null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.PENDING)
    granted_on_the_spot = models.BooleanField(_("granted on the spot"), default=False)

    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    # The manager asked to decide, and by when (business time of the ticket's queue).
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decide_by = models.DateTimeField(_("decide by"), null=True, blank=True)
    # How many times nobody decided in time and it went to the next manager.
    handovers = models.PositiveSmallIntegerField(default=0)
    overdue_since = models.DateTimeField(null=True, blank=True)

    # Above the second-approval amount, the first of the two managers who approve.
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_approved_at = models.DateTimeField(_("first approved"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("compensation proposal")
        verbose_name_plural = _("compensation proposals")
        ordering = ["proposed_at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "proposed_at"], name="proposal_ticket_time"),
            models.Index(fields=["incident", "state", "kind"], name="proposal_incident_state"),
            models.Index(fields=["decide_by"], condition=Q(state="pending"), name="proposal_pending_due"),
        ]

    def __str__(self):
        return f"{self.ticket.reference}: {self.get_kind_display()} {self.value_label}"

    def clean(self):
        self.clean_value()

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.PENDING and (
            self.overdue_since is not None
            or (self.decide_by is not None and self.decide_by <= timezone.now())
        )

    def snapshot(self) -> dict:
        return {
            "state": self.state,
            "kind": self.kind,
            "amount": _decimal(self.amount),
            "currency": self.currency,
            "duration_days": self.duration_days,
            "decider": self.decider.get_username() if self.decider_id else None,
            "decide_by": self.decide_by.isoformat() if self.decide_by else None,
            "first_approved_by": self.first_approved_by.get_username() if self.first_approved_by_id else None,
        }

    def audit(self, action, *, by, before=None, note="") -> AuditEntry:
        return AuditEntry.objects.create(
            actor=by,
            action=action,
            incident_id=self.incident_id,
            ticket_id=self.ticket_id,
            proposal=self,
            subject=str(self),
            before=before or {},
            after=self.snapshot(),
            note=note,
        )

    # --- how much, and who must agree ---------------------------------------------------------

    def already_given(self, **filters):
        """What this customer already got of this kind (and currency) in this incident, other
        than this proposal: approved or fulfilled, in the unit of this proposal's value."""
        given = CompensationProposal.objects.filter(
            incident_id=self.incident_id,
            ticket__customer_id=self.ticket.customer_id,
            kind=self.kind,
            state__in=[self.State.APPROVED, self.State.FULFILLED],
            **filters,
        ).exclude(pk=self.pk)
        if self.amount is not None:
            given = given.filter(currency=self.currency, amount__isnull=False)
            return given.aggregate(total=Sum("amount"))["total"] or 0
        return given.filter(amount__isnull=True).aggregate(total=Sum("duration_days"))["total"] or 0

    @property
    def needs_second_approval(self) -> bool:
        """Above the amount in force, counting what the customer already got in the incident
        (ten small grants are one large one): two managers approve, neither the proposer."""
        from crisis.models.thresholds import ApprovalThreshold

        value = self.amount if self.amount is not None else self.duration_days
        above = ApprovalThreshold.above(self.kind, self.currency if self.amount is not None else "")
        return value + self.already_given() > above

    # --- transitions ----------------------------------------------------------------------

    def grant_on_the_spot(self, *, by) -> None:
        """A new proposal within the proposer's limit (crisis.compensation.services.propose checked it):
        approved at once and the customer told; a manager reviews it afterwards."""
        from crisis.compensation import emails

        if not self._state.adding:
            raise InvalidTransition(_("Only a new proposal can be granted on the spot."))
        with transaction.atomic():
            self.state, self.granted_on_the_spot = self.State.APPROVED, True
            self.decided_by, self.decided_at = by, self.proposed_at
            self.save()
            self.audit(AuditEntry.Action.GRANTED, by=by, note=self.justification)
            emails.compensation_decided(self)

    def submit(self, *, decider, decide_by: datetime) -> None:
        """A new proposal waits for a manager (`decider` first), to be decided by `decide_by`."""
        if not self._state.adding:
            raise InvalidTransition(_("This proposal was already made."))
        with transaction.atomic():
            self.decider, self.decide_by = decider, decide_by
            self.save()
            self.audit(AuditEntry.Action.PROPOSED, by=self.proposed_by, note=self.justification)

    def check_can_decide(self, user) -> None:
        if not is_manager(user):
            raise InvalidTransition(_("Only a manager can decide on compensation."))
        if user.pk == self.proposed_by_id:
            raise InvalidTransition(_("You proposed this yourself: another manager has to decide."))
        if self.state != self.State.PENDING:
            raise InvalidTransition(self._taken())

    def approve(self, *, by, note: str = "") -> None:
        """Approved, and the customer told. Above the second-approval amount the first approval
        only records the manager's agreement; a second, different manager approves it."""
        from crisis.compensation import emails
        from helpdesk import agent_alerts

        self.check_can_decide(by)
        if by.pk == self.first_approved_by_id:
            raise InvalidTransition(_("You approved this already: a second manager has to approve it."))
        with transaction.atomic():
            before, now = self.snapshot(), timezone.now()
            if self.first_approved_by_id is None and self.needs_second_approval:
                self._claim(first_approved_by=by, first_approved_at=now)
                self.audit(AuditEntry.Action.FIRST_APPROVED, by=by, before=before, note=note)
                return
            self._claim(state=self.State.APPROVED, decided_by=by, decided_at=now, decision_note=note)
            self.audit(AuditEntry.Action.APPROVED, by=by, before=before, note=note)
            emails.compensation_decided(self)
            agent_alerts.compensation_decided(
                proposer=self.proposed_by, ticket=self.ticket, approved=True, by=by
            )

    def reject(self, *, by, note: str = "") -> None:
        from crisis.compensation import emails
        from helpdesk import agent_alerts

        self.check_can_decide(by)
        with transaction.atomic():
            before = self.snapshot()
            self._claim(
                state=self.State.REJECTED, decided_by=by, decided_at=timezone.now(), decision_note=note
            )
            self.audit(AuditEntry.Action.REJECTED, by=by, before=before, note=note)
            emails.compensation_decided(self)
            agent_alerts.compensation_decided(
                proposer=self.proposed_by, ticket=self.ticket, approved=False, by=by
            )

    def withdraw(self, *, by, note: str = "") -> None:
        if by.pk != self.proposed_by_id and not is_manager(by):
            raise InvalidTransition(_("Only the agent who proposed it or a manager can withdraw it."))
        if self.state != self.State.PENDING:
            raise InvalidTransition(self._taken())
        with transaction.atomic():
            before = self.snapshot()
            self._claim(state=self.State.WITHDRAWN)
            self.audit(AuditEntry.Action.WITHDRAWN, by=by, before=before, note=note)

    def _claim(self, **changes) -> None:
        """Change the row only if it is still as this request read it (pending, with the same
        first approval): of two managers deciding at once, one changes it, the other is told
        who did, and nothing is recorded or sent twice."""
        changed = (
            type(self)
            .objects.filter(pk=self.pk, state=self.State.PENDING, first_approved_by=self.first_approved_by_id)
            .update(**changes)
        )
        if not changed:
            raise InvalidTransition(self._taken())
        self.refresh_from_db()

    def _taken(self) -> str:
        """Who came first, for the one who comes second."""
        current = type(self).objects.select_related("first_approved_by").get(pk=self.pk)
        if current.state == self.State.PENDING and current.first_approved_by_id:
            return _("%(name)s approved this a moment ago; it now waits for a second manager's approval.") % {
                "name": staff_name(current.first_approved_by)
            }
        last = current.audit_entries.select_related("actor").order_by("-at", "-pk").first()
        return _("Already decided by %(name)s: %(state)s.") % {
            "name": staff_name(last.actor) if last and last.actor else _("the worker"),
            "state": current.get_state_display(),
        }

    def fulfil(self, *, by, note: str = "") -> None:
        if self.state != self.State.APPROVED:
            raise InvalidTransition(_("Only approved compensation can be marked as fulfilled."))
        with transaction.atomic():
            before = self.snapshot()
            changed = (
                type(self)
                .objects.filter(pk=self.pk, state=self.State.APPROVED)
                .update(state=self.State.FULFILLED, fulfilled_by=by, fulfilled_at=timezone.now())
            )
            if not changed:
                raise InvalidTransition(
                    self._done_by("fulfilled_by", _("Already marked as fulfilled by %(name)s."))
                )
            self.refresh_from_db()
            self.audit(AuditEntry.Action.FULFILLED, by=by, before=before, note=note)

    def mark_reviewed(self, *, by, note: str = "") -> None:
        """A manager looked at a grant made on the spot (the limit lets agents act; we still look)."""
        if not is_manager(by):
            raise InvalidTransition(_("Only a manager can review a grant."))
        if not self.granted_on_the_spot or self.reviewed_at is not None:
            raise InvalidTransition(_("There is nothing to review on this proposal."))
        if by.pk == self.proposed_by_id:
            raise InvalidTransition(_("You granted this yourself: another manager has to review it."))
        with transaction.atomic():
            before = self.snapshot()
            changed = (
                type(self)
                .objects.filter(pk=self.pk, reviewed_at__isnull=True)
                .update(reviewed_by=by, reviewed_at=timezone.now())
            )
            if not changed:
                raise InvalidTransition(self._done_by("reviewed_by", _("Already reviewed by %(name)s.")))
            self.refresh_from_db()
            self.audit(AuditEntry.Action.REVIEWED, by=by, before=before, note=note)

    def _done_by(self, field: str, message: str) -> str:
        person = getattr(type(self).objects.select_related(field).get(pk=self.pk), field)
        return message % {"name": staff_name(person) if person else _("someone else")}

    def hand_over(self, *, to, now: datetime, decide_by: datetime) -> bool:
        """Undecided in time: hand it over to the next manager. Claimed, so two workers never
        both do it. Never approves anything: the proposal stays pending and shows as overdue."""
        with transaction.atomic():
            before = self.snapshot()
            claimed = (
                CompensationProposal.objects.due_for_handover(now)
                .filter(pk=self.pk, handovers=self.handovers)
                .update(
                    decider=to,
                    decide_by=decide_by,
                    handovers=self.handovers + 1,
                    overdue_since=self.overdue_since or now,
                )
            )
            if not claimed:
                return False
            self.refresh_from_db()
            self.audit(AuditEntry.Action.HANDED_OVER, by=None, before=before)
        return True
