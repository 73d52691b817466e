"""The survey messages: the invitation, its one reminder, and the note to the ticket's agent.

Customer messages go through the helpdesk outbox (helpdesk.mail.outbox.write) in the customer's
language. Every one carries the one-click opt-out (RFC 2369 List-Unsubscribe and RFC 8058
List-Unsubscribe-Post) and the same link in its text.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from helpdesk.mail import outbox
from helpdesk.models import Notification
from helpdesk.models.staff import staff_language

logger = logging.getLogger(__name__)

RATINGS = [1, 2, 3, 4, 5]


def survey_url(survey) -> str:
    return settings.SITE_URL + reverse("feedback:survey", args=[survey.token])


def opt_out_url(survey) -> str:
    return settings.SITE_URL + reverse("feedback:survey-opt-out", args=[survey.token])


def one_click_url(survey) -> str:
    return settings.SITE_URL + reverse("feedback:survey-unsubscribe", args=[survey.token])


def survey_invitation(survey) -> Notification:
    return _write(survey, reminder=False)


def survey_reminder(survey) -> Notification:
    return _write(survey, reminder=True)


def _write(survey, *, reminder: bool) -> Notification:
    # Each message has links of its own: only their hashes are stored, so none can be re-sent.
    survey.draw_link()
    url = survey_url(survey)
    context = {
        "survey": survey,
        "reminder": reminder,
        "incident": survey.kind == survey.Kind.INCIDENT,
        # Each link only preselects the rating on the page; nothing is recorded until submitted.
        "rating_links": [(rating, f"{url}?rating={rating}") for rating in RATINGS],
        "survey_url": url,
        "opt_out_url": opt_out_url(survey),
    }
    headers = {
        "List-Unsubscribe": f"<{one_click_url(survey)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return outbox.write(survey.ticket, Notification.Kind.SURVEY, "survey", context, headers=headers)


def tell_agent_not_solved(survey) -> None:
    """The customer says the problem is not solved: its agent hears it by email, after commit."""
    ticket = survey.ticket
    agent = ticket.assignee or last_resolver(ticket)
    if agent is None or not agent.email:
        return
    transaction.on_commit(lambda: _send_agent_mail(survey, agent), robust=True)


def last_resolver(ticket):
    entry = (
        ticket.entries.filter(event="status_changed", data__to="resolved", author__isnull=False)
        .select_related("author")
        .order_by("-created_at", "-pk")
        .first()
    )
    return entry.author if entry else None


def _send_agent_mail(survey, agent) -> None:
    ticket = survey.ticket
    language = staff_language(agent)
    context = {
        "survey": survey,
        "ticket": ticket,
        "agent": agent,
        "ticket_url": settings.SITE_URL + ticket.get_absolute_url(),
    }
    with translation.override(language):
        subject = " ".join(render_to_string("emails/survey_not_solved_subject.txt", context).split())
        body = render_to_string("emails/survey_not_solved_body.txt", context).strip() + "\n"
    message = EmailMessage(
        f"[#{ticket.reference}] {subject}", body, to=[agent.email], headers={"Content-Language": language}
    )
    try:
        message.send()
    except Exception:  # the reopened ticket is back in the agent's queue either way
        logger.exception("not-solved mail for ticket %s not sent", ticket.pk)
