"""Managers hear of a theme escalation once: when it is raised, and again only if it re-opens.

Staff mail, not customer mail, so it does not use the customer outbox (helpdesk.mail.outbox): sent
by the worker after the escalation is committed, like the SLA breach mail
(helpdesk.sla_breaches). The escalation list is the record if the mail server refuses it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from helpdesk.models.staff import staff_language

logger = logging.getLogger(__name__)


def tell_managers(escalation) -> int:
    """One mail per manager with an address, in their language; returns how many were sent."""
    from feedback.themes.complaints import managers

    theme = escalation.theme
    sent = 0
    for manager in managers().exclude(email=""):
        language = staff_language(manager)
        context = {
            "manager": manager,
            "theme": theme,
            "escalation": escalation,
            "reopened": escalation.times_raised > 1,
            "theme_url": settings.SITE_URL + theme.get_absolute_url(),
            "list_url": settings.SITE_URL + reverse("feedback:escalation-list"),
        }
        with translation.override(language):
            subject = " ".join(render_to_string("emails/theme_escalation_subject.txt", context).split())
            body = render_to_string("emails/theme_escalation_body.txt", context).strip() + "\n"
        try:
            EmailMessage(subject, body, to=[manager.email], headers={"Content-Language": language}).send()
        except Exception:  # the escalation is committed and on the list either way
            logger.exception("theme escalation mail to %s not sent", manager.pk)
        else:
            sent += 1
    return sent
