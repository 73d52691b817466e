"""Agents' in-app notifications: what tells an agent that something needs them.

Not to be confused with `Notification`, the outbox of messages to customers. An alert is written
where its event happens (helpdesk.agent_alerts has one function per kind); an agent reads their
own on the notifications page and sees the unread count in the navigation.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helpdesk.models.labels import ChoiceLabels


class AgentAlertQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """Access is decided here: an agent sees only their own alerts."""
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def newest_first(self):
        return self.order_by("-created_at", "-pk")

    def mark_read(self, now=None) -> int:
        """Conditional: only unread rows change, so a repeat or a second tab changes nothing."""
        return self.unread().update(read_at=now or timezone.now())


class AgentAlert(ChoiceLabels):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("A request was assigned to you")
        CUSTOMER_REPLIED = "customer_replied", _("A customer replied on your request")
        MENTIONED = "mentioned", _("A colleague mentioned you in an internal note")
        AT_RISK = "at_risk", _("Your request is at risk of missing its SLA")
        CHAT_WAITING = "chat_waiting", _("A live chat is waiting in your queues")
        COMPENSATION_DECIDED = "compensation_decided", _("A compensation you proposed was decided")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_alerts"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    ticket = models.ForeignKey(
        "helpdesk.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="agent_alerts"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Codes, not words: each agent reads the alert in their own language (see `text`).
    data = models.JSONField(default=dict, blank=True)
    # Set for an alert that must come once (the at-risk alert of a ticket's SLA target): with
    # the recipient and the ticket it is unique, so two scans at once write one row.
    once_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = AgentAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("agent notification")
        verbose_name_plural = _("agent notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="agent_alert_list"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="agent_alert_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "ticket", "kind", "once_key"],
                condition=~models.Q(once_key=""),
                name="agent_alert_once",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def text(self) -> str:
        """What happened, in the reader's language; the ticket's reference is shown beside it."""
        if self.kind == self.Kind.AT_RISK and self.data.get("unassigned"):
            if self.data.get("target") == "first_response":
                return gettext("A request nobody has taken is at risk of missing its first-answer time.")
            return gettext("A request nobody has taken is at risk of missing its resolution time.")
        if self.kind == self.Kind.AT_RISK and self.data.get("target") == "first_response":
            return gettext("Your request is at risk of missing its first-answer time.")
        if self.kind == self.Kind.AT_RISK:
            return gettext("Your request is at risk of missing its resolution time.")
        if self.kind == self.Kind.COMPENSATION_DECIDED and self.data.get("approved"):
            return gettext("The compensation you proposed was approved.")
        if self.kind == self.Kind.COMPENSATION_DECIDED:
            return gettext("The compensation you proposed was rejected.")
        return self.get_kind_display()
