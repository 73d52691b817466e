"""Recurring complaints: a theme that crosses the rule is raised to management, once.

After each complaint is grouped, `raise_if_recurring` checks the rule for that theme only: a
theme crossing it becomes a recurring complaint once and managers are told once; a closed one
whose theme comes back past the rule (counting only complaints after the close) is re-opened
and managers are told again. A theme proposed to join an escalated theme
(feedback.themes.consolidation) raises nothing while a manager decides.

The managers' mail is staff mail, not customer mail, so it does not use the customer outbox
(helpdesk.mail.outbox): sent by the worker after the recurring complaint is committed, like the
SLA breach mail (helpdesk.sla_breaches). The list of recurring complaints is the record if the
mail server refuses it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from feedback.models import RecurringComplaint, RecurringComplaintRule, ThemeMergeProposal
from helpdesk.models.staff import staff_language
from helpdesk.roles import MANAGERS

logger = logging.getLogger(__name__)


def raise_if_recurring(theme, *, now=None) -> RecurringComplaint | None:
    """Raise or re-open the theme's recurring complaint when the rule is met; the recurring
    complaint when one was raised or re-opened now (so the managers are told), else None."""
    now = now or timezone.now()
    rule = RecurringComplaintRule.current()
    existing = RecurringComplaint.objects.filter(theme=theme).first()
    if existing is None:
        if not rule.is_met_by(theme, now=now) or joins_an_escalation(theme):
            return None
        return RecurringComplaint.raise_for(theme, now=now)
    if existing.is_open or not rule.is_met_by(theme, now=now, after=existing.closed_at):
        return None
    return existing if existing.reopen(now=now) else None


def joins_an_escalation(theme) -> bool:
    """A manager is deciding whether this theme is part of an escalated one: it does not raise
    one of its own meanwhile (one problem, one escalation). Declined, it can."""
    return ThemeMergeProposal.objects.pending().filter(absorbed=theme).exists()


def managers():
    return get_user_model().objects.filter(is_active=True, groups__name=MANAGERS).distinct()


def tell_managers(recurring_complaint) -> int:
    """One mail per manager with an address, in their language; returns how many were sent."""
    theme = recurring_complaint.theme
    sent = 0
    for manager in managers().exclude(email=""):
        language = staff_language(manager)
        context = {
            "manager": manager,
            "theme": theme,
            "recurring_complaint": recurring_complaint,
            "reopened": recurring_complaint.times_raised > 1,
            "theme_url": settings.SITE_URL + theme.get_absolute_url(),
            "list_url": settings.SITE_URL + reverse("feedback:recurring-complaint-list"),
        }
        with translation.override(language):
            subject = " ".join(render_to_string("emails/recurring_complaint_subject.txt", context).split())
            body = render_to_string("emails/recurring_complaint_body.txt", context).strip() + "\n"
        try:
            EmailMessage(subject, body, to=[manager.email], headers={"Content-Language": language}).send()
        except Exception:  # the recurring complaint is committed and on the list either way
            logger.exception("recurring complaint mail to %s not sent", manager.pk)
        else:
            sent += 1
    return sent
