"""The crisis app's messages, written to the helpdesk outbox (helpdesk.mail.outbox, helpdesk.mail.delivery).

- an incident update to each recipient, in their language, with a one-click unsubscribe
  (a link and the List-Unsubscribe header of RFC 8058);
- the link that confirms an email subscription (double opt-in);
- the crisis acknowledgement of a request linked to an incident at intake, registered as an
  override of the usual acknowledgement.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

from crisis.models import IncidentTicket, IncidentUpdate, Subscription, UpdateRecipient
from helpdesk.mail.outbox import render_message, sender_domain, write_to_address
from helpdesk.models import Notification, Ticket

UNSUBSCRIBE_SALT = "crisis.unsubscribe"
# Rendered once per language and batch; each recipient's own link replaces this marker.
UNSUBSCRIBE_MARKER = "https://unsubscribe.invalid/" + "0" * 32


def unsubscribe_token(incident_id: int, email: str) -> str:
    return signing.dumps([incident_id, email], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(incident id, address); raises signing.BadSignature for a token we did not sign."""
    incident_id, email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(incident_id), str(email)


def unsubscribe_url(incident_id: int, email: str) -> str:
    return settings.SITE_URL + reverse("crisis:unsubscribe", args=[unsubscribe_token(incident_id, email)])


def update_context(update: IncidentUpdate, language: str) -> dict:
    return {
        "incident_title": update.incident.title_in(language),
        "text": update.text_in(language),
        "update": update,
        "is_final": update.is_final,
    }


def update_messages(update: IncidentUpdate, recipients: list[UpdateRecipient]) -> list[Notification]:
    """One unsaved outbox message per recipient; the templates are rendered once per language."""
    rendered = {}
    messages = []
    for recipient in recipients:
        language = recipient.language if recipient.language in ("en", "hu", "pl") else "en"
        if language not in rendered:
            context = {**update_context(update, language), "unsubscribe_url": UNSUBSCRIBE_MARKER}
            rendered[language] = render_message("crisis_update", context, language)
        subject, body_text, body_html = rendered[language]
        link = unsubscribe_url(update.incident_id, recipient.email)
        messages.append(
            Notification(
                ticket_id=recipient.ticket_id,
                customer_id=recipient.customer_id,
                kind=Notification.Kind.ANNOUNCEMENT,
                to_email=recipient.email,
                language=language,
                subject=subject,
                body_text=body_text.replace(UNSUBSCRIBE_MARKER, link),
                body_html=body_html.replace(UNSUBSCRIBE_MARKER, link),
                message_id=f"<{uuid.uuid4().hex}.incident-{update.incident_id}@{sender_domain()}>",
                extra_headers={
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        )
    return messages


def subscription_confirmation(subscription: Subscription) -> Notification:
    """The double opt-in: nothing is sent to this address until its owner follows the link."""
    language = subscription.language
    incident = subscription.incident
    context = {
        "incident_title": incident.title_in(language),
        "confirm_url": settings.SITE_URL + reverse("crisis:subscription-confirm", args=[subscription.token]),
    }
    return write_to_address(
        kind=Notification.Kind.CONFIRMATION,
        to_email=subscription.email,
        language=language,
        template="crisis_subscription_confirm",
        context=context,
        message_tag="subscription",
    )


def crisis_acknowledgement(ticket: Ticket) -> tuple[str, dict] | None:
    """Instead of the usual acknowledgement, for a request linked to an active incident at intake:
    we know about the problem, here is the latest update, we will tell you when it is fixed."""
    link = (
        IncidentTicket.objects.filter(ticket=ticket, incident__resolved_at__isnull=True)
        .select_related("incident")
        .first()
    )
    if link is None:
        return None
    incident = link.incident
    latest = IncidentUpdate.objects.published().filter(incident=incident).first()
    language = ticket.customer.language
    return "crisis_acknowledgement", {
        "incident_title": incident.title_in(language),
        "latest": latest.text_in(language) if latest else "",
        "latest_at": latest.published_at if latest else None,
        "unsubscribe_url": unsubscribe_url(incident.pk, ticket.customer.email.lower()),
    }
