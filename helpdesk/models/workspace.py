"""What agents work with on a ticket beyond its timeline."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from helpdesk.languages import Language
from helpdesk.models.labels import ChoiceLabels
from helpdesk.models.routing import Category, Priority
from helpdesk.models.staff import staff_name
from helpdesk.models.tags import normalise_tag
from helpdesk.models.ticket import InvalidTransition

PLACEHOLDER = re.compile(r"\{(customer_name|reference|expected_time|agent_name)\}")
# What a canned response leaves for the agent to fill in: "[the problem in your own words]".
BLANK = re.compile(r"\[[^\[\]\n]{1,80}\]")


class CannedResponseQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def unfilled_in(self, text: str) -> list[str]:
        """The placeholders `text` still has, in order: a {placeholder} nothing filled in (no
        expected time on a breached ticket, no name) and a [blank] of these canned responses."""
        found = [match.group(0) for match in PLACEHOLDER.finditer(text)]
        brackets = [match.group(0) for match in BLANK.finditer(text)]
        if brackets:
            blanks = {blank for body in self.values_list("body", flat=True) for blank in BLANK.findall(body)}
            found += [bracket for bracket in brackets if bracket in blanks]
        return list(dict.fromkeys(found))

    def for_language(self, language: str):
        return self.active().filter(language=language)


class CannedResponse(models.Model):
    """A reply agents start from, per language, with placeholders filled in for the ticket.

    Placeholders: {customer_name}, {reference}, {expected_time}, {agent_name}. The text has no
    greeting and no signature: the reply email greets the customer and signs with the agent's name.
    """

    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8, choices=Language)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {customer_name}, {reference}, {expected_time}, {agent_name}. "
            "No greeting and no signature: the email to the customer adds them."
        ),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A macro: a canned response that also moves the ticket on when the reply is sent.
    then_status = models.CharField(
        _("then"),
        max_length=10,
        blank=True,
        choices=[("waiting", _("Wait on the customer")), ("resolved", _("Resolve"))],
        help_text=_("Chosen under the reply when the agent starts from this response; they can change it."),
    )
    set_priority = models.PositiveSmallIntegerField(
        _("set the priority to"), choices=Priority, null=True, blank=True
    )
    add_tags = models.CharField(
        _("add the tags"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas, for example: refund, billing."),
    )

    objects = CannedResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")
        ordering = ["language", "position", "title"]

    def __str__(self):
        return f"{self.title} [{self.language}]"

    @property
    def tag_names(self) -> list[str]:
        return list(dict.fromkeys(name for part in self.add_tags.split(",") if (name := normalise_tag(part))))

    def set_active(self, active: bool) -> bool:
        """Offered to agents again, or no longer; conditional, so a repeat changes nothing."""
        changed = type(self).objects.filter(pk=self.pk, is_active=not active).update(is_active=active)
        self.is_active = active
        return bool(changed)

    @property
    def is_macro(self) -> bool:
        return bool(self.then_status or self.set_priority or self.tag_names)

    @property
    def effects(self) -> list[str]:
        """What the macro does besides the text, in the reader's language: "Resolve", "High"."""
        effects = [self.get_then_status_display()] if self.then_status else []
        if self.set_priority is not None:
            effects.append(
                pgettext("queue reason", "priority %(priority)s")
                % {"priority": self.get_set_priority_display()}
            )
        if tags := self.tag_names:
            effects.append(gettext("tags: %(tags)s") % {"tags": ", ".join(tags)})
        return effects

    def apply_to(self, ticket, *, by) -> None:
        """The macro's priority and tags, on the reply's way out (Ticket.reply); the status is
        the reply's own "then", which this response chose on the page."""
        if self.set_priority is not None:
            ticket.change_priority(self.set_priority, by=by)
        present = set(ticket.tags.values_list("name", flat=True)) if self.tag_names else set()
        for name in self.tag_names:
            if name not in present:
                ticket.add_tag(name, by=by)

    def render(self, values: dict[str, str]) -> str:
        """The text with its placeholders filled; unknown braces are left as typed."""
        return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), self.body)


class NextStepQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_at__isnull=True)


class NextStep(models.Model):
    """What happens next and when, promised to the customer when one contact did not solve it."""

    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="next_steps")
    description = models.CharField(_("what happens next"), max_length=300)
    due_on = models.DateField(_("by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = NextStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.due_on:%Y-%m-%d} {self.description}"


class AttentionRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def in_queues(self, queues):
        return self.filter(ticket__queue__in=queues)

    def raised_by_agents(self):
        """An agent's request for a decision, not the SLA scan's breach alert."""
        return self.filter(kind=AttentionRequest.Reason.AGENT)


class AttentionRequest(ChoiceLabels):
    """A request for a manager's attention: an agent (or the SLA breach alert) asks the queue's
    manager to step in on a ticket, and says why. The manager's list (/manage/attention/) shows
    the open ones until the manager resolves them."""

    class Reason(models.TextChoices):
        AGENT = "agent", _("Asked by an agent")
        SLA_BREACH = "sla_breach", _("SLA breached")

    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="attention_requests")
    kind = models.CharField(_("kind"), max_length=12, choices=Reason, default=Reason.AGENT)
    # The agent's words; an SLA breach alert stores codes in `data` instead (its target and due
    # time), so each reader reads it in their own language (`reason_text`).
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True, editable=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(_("what the supervisor did"), blank=True)

    objects = AttentionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation to a supervisor")
        verbose_name_plural = _("escalations to a supervisor")
        ordering = ["-raised_at"]

    def __str__(self):
        return f"{self.ticket_id}: {self.reason_text[:40]}"

    @property
    def reason_text(self) -> str:
        """Why a manager is asked to look, in the reader's language."""
        if self.kind != self.Reason.SLA_BREACH or not self.data.get("due_at"):
            return self.reason
        tz = ZoneInfo(self.data.get("time_zone") or settings.TIME_ZONE)
        due_at = datetime.fromisoformat(self.data["due_at"]).astimezone(tz)
        due = formats.date_format(due_at, "SHORT_DATETIME_FORMAT")
        if self.data.get("target") == "first_response":
            return gettext("The first answer to the customer was due at %(due)s.") % {"due": due}
        return gettext("The request was due to be resolved at %(due)s.") % {"due": due}

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def resolve(self, *, by, note: str) -> None:
        """The supervisor stepped in and says what they did; the request leaves the list."""
        now = timezone.now()
        # Conditional: of two supervisors resolving it at once, one does; the other is told who.
        resolved = (
            type(self)
            .objects.filter(pk=self.pk, resolved_at__isnull=True)
            .update(resolved_by=by, resolved_at=now, resolution_note=note)
        )
        if not resolved:
            first = type(self).objects.select_related("resolved_by").get(pk=self.pk).resolved_by
            raise InvalidTransition(
                _("Already resolved by %(name)s.")
                % {"name": staff_name(first) if first else _("someone else")}
            )
        self.resolved_by, self.resolved_at, self.resolution_note = by, now, note
