"""Every message to a customer is composed here and written to the outbox (Notification).

One function per kind of message. Each renders templates/emails/<kind>_subject.txt,
_body.txt and _body.html in the customer's language, inside the caller's transaction, so the
message exists exactly when the change that caused it does. The worker delivers it
(helpdesk.mail.delivery); nothing here talks to a mail server.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from helpdesk import hooks
from helpdesk.models import Channel, Customer, Notification, Ticket, TicketEntry
from helpdesk.models.staff import staff_name
from helpdesk.queue import estimates
from helpdesk.queue.expectations import from_estimate

logger = logging.getLogger(__name__)


def sender_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def ticket_thread_id(ticket: Ticket) -> str:
    """The Message-ID every message of a ticket refers to, so that replies find their ticket."""
    return f"<ticket.{ticket.reference}@{sender_domain()}>"


def status_url(ticket: Ticket) -> str:
    """The status link a message carries: the one the ticket was just reached with or drawn
    with, else a new one (only its hash is stored, so a link cannot be looked up again)."""
    return settings.SITE_URL + reverse("helpdesk:status", args=[ticket.status_link_token()])


def acknowledge(ticket: Ticket, *, quote_request: bool) -> Notification | None:
    """Tell the customer at once that their request arrived: reference, link, expected answer.

    Withheld when the address already got several acknowledgements this hour (a mail loop, or
    someone using our form against a third party). For an address we have never heard from,
    `quote_request` is False and the message repeats nothing they typed, so our form cannot be
    used to send someone else's words to a stranger.
    """
    email = ticket.customer.email
    if not email or recent_acknowledgements(email) >= settings.ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR:
        return None
    estimate = estimates.estimate(ticket)
    context = {
        "ticket": ticket,
        "quote_request": quote_request,
        "estimate": estimate,
        "expected": from_estimate(estimate, ticket.queue.calendar.calendar.tz),
        "status_url": status_url(ticket),
        "conversation_notes": conversation_notes(ticket),
    }
    template = "acknowledgement"
    # An app that knows better what a new request needs to hear (crisis: "we know about the
    # outage, here is the latest update") names another template and adds to the context.
    for override in hooks.ACKNOWLEDGEMENT_OVERRIDES.entries():
        if chosen := override(ticket):
            template, extra = chosen
            context.update(extra)
            break
    return write(
        ticket,
        Notification.Kind.ACKNOWLEDGEMENT,
        template,
        context,
        in_reply_to=original_message_id(ticket),
    )


def reply(ticket: Ticket, entry: TicketEntry) -> Notification | None:
    """An agent's answer, by email, threaded under the customer's first message like the
    acknowledgement. Says what happens next when the reply also moved the ticket on."""
    if not ticket.customer.email:
        return None
    context = {"ticket": ticket, "entry": entry, "status_url": status_url(ticket)}
    return write(
        ticket,
        Notification.Kind.REPLY,
        "reply",
        context,
        in_reply_to=original_message_id(ticket),
        entry=entry,
    )


def status_changed(ticket: Ticket, *, message: str = "") -> Notification | None:
    """Tell the customer the change that concerns them: we need something from them (waiting),
    or what was done and that a reply reopens it (resolved). Other changes send nothing."""
    template = {Ticket.Status.WAITING: "waiting_on_customer", Ticket.Status.RESOLVED: "resolved"}.get(
        ticket.status
    )
    if template is None or not ticket.customer.email:
        return None
    context = {"ticket": ticket, "message": message, "status_url": status_url(ticket)}
    return write(ticket, Notification.Kind.STATUS, template, context, in_reply_to=original_message_id(ticket))


def status_changed_for_many(customer: Customer, tickets: list[Ticket], *, message: str = "") -> Notification:
    """One message for several of a customer's requests changed together (helpdesk.bulk), all
    to the same status: waiting on the customer or resolved. Not threaded on any one ticket."""
    with translation.override(customer.language):
        tickets = [(ticket, status_url(ticket)) for ticket in tickets]
    return write_to_address(
        kind=Notification.Kind.STATUS,
        to_email=customer.email,
        language=customer.language,
        template="status_changed_for_many",
        context={
            "customer": customer,
            "tickets": tickets,
            "status": tickets[0][0].status,
            "message": message,
        },
        message_tag="status",
        customer=customer,
    )


def new_status_link(ticket: Ticket) -> Notification:
    """The customer asked for a new status link (the old one no longer works)."""
    context = {"ticket": ticket, "status_url": status_url(ticket)}
    return write(ticket, Notification.Kind.STATUS_LINKS, "new_status_link", context)


def status_links(customer: Customer, tickets: list[Ticket]) -> Notification:
    """The links of a customer's open and recent requests, asked for on the status lookup page.

    Not threaded on any one ticket: it is about all of them.
    """
    with translation.override(customer.language):
        tickets = [(ticket, status_url(ticket)) for ticket in tickets]
    return write_to_address(
        kind=Notification.Kind.STATUS_LINKS,
        to_email=customer.email,
        language=customer.language,
        template="status_links",
        context={"customer": customer, "tickets": tickets},
        message_tag="links",
        customer=customer,
    )


def personal_data_link(customer: Customer, url: str) -> Notification:
    """The link to download a copy of everything we hold about the customer, which they asked
    for on their status page; only ever to the address on record."""
    return write_to_address(
        kind=Notification.Kind.PERSONAL_DATA,
        to_email=customer.email,
        language=customer.language,
        template="personal_data_link",
        context={"customer": customer, "url": url, "days": settings.PERSONAL_DATA_LINK_DAYS},
        message_tag="personal-data",
        customer=customer,
    )


def chat_transcript(chat) -> Notification | None:
    """The whole chat, when it ended, so the customer keeps what was said and promised."""
    ticket = chat.ticket
    if not ticket.customer.email:
        return None
    context = {
        "ticket": ticket,
        "chat": chat,
        "entries": list(chat.entries_after(0, for_agent=False).filter(kind__in=["message", "reply"])),
        "status_url": status_url(ticket),
    }
    return write(ticket, Notification.Kind.CHAT_TRANSCRIPT, "chat_transcript", context)


def original_message_id(ticket: Ticket) -> str:
    """The Message-ID of the customer's first email, so our answers sit in their thread."""
    original = (
        ticket.entries.filter(kind="message")
        .exclude(message_id="")
        .values_list("message_id", flat=True)
        .first()
    )
    return original or ""


def conversation_notes(ticket: Ticket) -> str:
    """What the agent wrote down from a call or a visit, to be quoted back to the customer.

    Always quoted, even to a new address: our agent wrote it while talking to the customer, so
    it is not text an anonymous submitter could send to a stranger through us.
    """
    if ticket.channel not in (Channel.PHONE, Channel.WALK_IN):
        return ""
    entry = ticket.entries.filter(kind=TicketEntry.Kind.MESSAGE, author__isnull=False).first()
    return entry.body if entry else ""


def recent_acknowledgements(email: str) -> int:
    return Notification.objects.filter(
        to_email__iexact=email,
        kind=Notification.Kind.ACKNOWLEDGEMENT,
        created_at__gte=timezone.now() - timedelta(hours=1),
    ).count()


def write(
    ticket: Ticket,
    kind: str,
    template: str,
    context: dict,
    *,
    in_reply_to: str = "",
    headers: dict | None = None,
    entry: TicketEntry | None = None,
) -> Notification:
    """Render one message in the customer's language and put it in the outbox; the files of
    `entry`, if any, go with it."""
    customer = ticket.customer
    # Greeted by the name given with this request: a sender who reached a known customer by
    # email learns nothing of the record (and the record's name stays its own).
    context = {**context, "customer": customer, "greeting_name": ticket.addressee_name}
    subject, body_text, body_html = render_message(template, context, customer.language)
    thread = ticket_thread_id(ticket)
    notification = Notification.objects.create(
        ticket=ticket,
        customer=customer,
        kind=kind,
        to_email=customer.email,
        language=customer.language,
        subject=f"[#{ticket.reference}] {subject}",
        body_text=body_text,
        body_html=body_html,
        message_id=f"<{uuid.uuid4().hex}.{ticket.reference}@{sender_domain()}>",
        in_reply_to=in_reply_to or thread,
        references=" ".join(dict.fromkeys(filter(None, [thread, in_reply_to]))),
        extra_headers=headers or {},
        entry=entry,
    )
    # Only after commit: the worker must find the row, and a rolled-back change sends nothing.
    transaction.on_commit(lambda: enqueue_delivery(notification.pk), robust=True)
    return notification


def render_message(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, HTML) of `templates/emails/<template>_*` in `language`."""
    with translation.override(language):
        # emails/base.html reads the language of the page from `customer`.
        context = {"customer": {"language": language}, **context, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body_text = render_to_string(f"emails/{template}_body.txt", context).strip() + "\n"
        body_html = render_to_string(f"emails/{template}_body.html", context)
    return subject, body_text, body_html


def write_to_address(
    *, kind: str, to_email: str, language: str, template: str, context: dict, message_tag: str, customer=None
) -> Notification:
    """A message about no one ticket (a customer's links, a subscription, a staff member's
    password link): rendered in `language` and put in the outbox, sent after commit."""
    subject, body_text, body_html = render_message(template, context, language)
    notification = Notification.objects.create(
        customer=customer,
        kind=kind,
        to_email=to_email,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        message_id=f"<{uuid.uuid4().hex}.{message_tag}@{sender_domain()}>",
    )
    transaction.on_commit(lambda: enqueue_delivery(notification.pk), robust=True)
    return notification


def enqueue_delivery(notification_id: int) -> None:
    """Ask the worker to send it now. If the queue itself is down, the request that caused the
    message still succeeds: the row is in the outbox and the scheduled scan sends it."""
    from django_q.tasks import async_task

    try:
        async_task(
            "helpdesk.tasks.deliver_notification",
            notification_id,
            task_name=f"notification-{notification_id}",
        )
    except Exception:  # the broker (database or Redis) refused: the scan is the safety net
        logger.exception("notification %s not enqueued; the scheduled scan will send it", notification_id)


def password_link(user, *, language: str, new_account: bool) -> Notification:
    """A staff member's link to choose their password: a new account, or one a manager reset.

    Django's password reset token (it works once, and not after the password changed); written to
    the outbox like every message, and sent by the worker.
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    path = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
    )
    context = {
        "name": staff_name(user),
        "username": user.get_username(),
        "new_account": new_account,
        "link": settings.SITE_URL + path,
    }
    return write_to_address(
        kind=Notification.Kind.PASSWORD_LINK,
        to_email=user.email,
        language=language,
        template="password_link",
        context=context,
        message_tag="password",
    )
