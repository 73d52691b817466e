"""One way in: every channel (web form, email, phone, walk-in, chat, API) becomes a ticket here.

Each channel adapter turns its own input into plain arguments and calls `receive()`; the rules
that must hold whatever the channel (routing, SLA, the timeline, the acknowledgement) live here
once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from helpdesk import hooks, thumbnails
from helpdesk.attachments import check_attachment
from helpdesk.mail import outbox
from helpdesk.models import Attachment, Category, Channel, Customer, Priority, Queue, Ticket, TicketEntry


@dataclass(frozen=True)
class IncomingAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""


class NoQueue(Exception):
    """No queue is configured to receive requests."""


# A subject taken from the text is read in a queue row: a line, not a paragraph.
SUBJECT_FROM_TEXT_LENGTH = 80


def subject_line(subject: str, body: str) -> str:
    """The subject as given, else the first line of the text (a phone note, a chat), shortened
    on a word boundary with an ellipsis."""
    if subject and subject.strip():
        return " ".join(subject.split())[:200]
    for line in (body or "").splitlines():
        if line.strip():
            return shortened(" ".join(line.split()), SUBJECT_FROM_TEXT_LENGTH)
    return "—"


def shortened(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if text[length - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # a word is never cut in two, unless it is the only one
    return cut.rstrip(" ,;:.-–—") + "…"


def route(category: Category | None, language: str) -> Queue:
    if category is not None:
        return category.queue_for(language)
    queue = Queue.objects.filter(is_default=True).first() or Queue.objects.order_by("pk").first()
    if queue is None:
        raise NoQueue("no queue is configured; create one in the admin")
    return queue


@transaction.atomic
def receive(
    *,
    channel: str,
    subject: str,
    body: str,
    identity_verified: bool,
    customer: Customer | None = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    language: str = "",
    category: Category | None = None,
    queue: Queue | None = None,
    priority: int | None = None,
    by=None,
    source_ip: str | None = None,
    integration=None,
    external_id: str = "",
    message_id: str = "",
    quoted_text: str = "",
    attachments: list[IncomingAttachment] | tuple = (),
    solved_on_first_contact: bool = False,
    assignee=None,
    acknowledge: bool = True,
) -> Ticket:
    """Create a ticket from a customer's request and acknowledge it; returns the ticket.

    `by` is the agent who wrote the request down (a phone call, a walk-in visitor); the text is
    still the customer's message: a verbal complaint is as valid as a written one. An agent
    who picked a known customer passes `customer`; other channels identify them by email/phone.
    `identity_verified` says whether an agent took the name, email and phone from the person
    (a call, the front desk): only then does a phone number find a customer and the details
    fill in a known customer's record. Everywhere else they are an anonymous sender's claim
    (see `Customer.objects.find_or_create`). The name given is kept on the ticket either way.
    `queue` overrides routing: a walk-in visitor joins their branch line's queue, a live chat its
    chat queue. `assignee` is the agent who owns the request from the start (the agent who took
    the call, unless they chose otherwise).
    """
    if customer is not None:
        is_new_customer = False
        if identity_verified:
            customer.learn(name=name, email=email, phone=phone)
    else:
        customer, is_new_customer = Customer.objects.find_or_create(
            name=name, email=email, phone=phone, language=language or "en", verified=identity_verified
        )
    if language and language != customer.language:
        # The language they chose this time is the one they want to hear from us in.
        customer.language = language
        customer.save(update_fields=["language"])
    language = customer.language
    queue = queue or route(category, language)
    ticket = Ticket(
        customer=customer,
        requester_name=" ".join(name.split())[:200],
        channel=channel,
        # A chat's customer is on the page, waiting: a live channel is served first.
        on_live_channel=channel == Channel.CHAT,
        category=category,
        queue=queue,
        priority=priority or (category.default_priority if category else Priority.NORMAL),
        subject=subject_line(subject, body),
        language=language,
        is_complaint=bool(category and category.is_complaint),
        created_at=timezone.now(),
        source_ip=source_ip,
        integration=integration,
        external_id=external_id,
    )
    ticket.apply_sla()
    ticket.save()
    ticket.record_event(TicketEntry.Event.CREATED, by=by, data={"channel": channel})
    message = ticket.record(
        TicketEntry.Kind.MESSAGE,
        by=by,
        body=body.strip(),
        quoted_text=quoted_text,
        message_id=message_id,
        is_public=True,
    )
    for attachment in attachments:
        store_attachment(message, attachment)
    if assignee is not None:
        ticket.assign(assignee, by=by)
    if solved_on_first_contact:
        ticket.resolve(by=by, on_first_contact=True)
    if acknowledge:
        outbox.acknowledge(ticket, quote_request=not is_new_customer)
    if ticket.is_complaint:
        hooks.COMPLAINT_ARRIVED.call_on_commit(ticket.pk)
    return ticket


def store_attachment(entry: TicketEntry, attachment: IncomingAttachment) -> Attachment:
    # Every channel passes here: what is stored is what the content is, whatever was declared.
    filename, content_type = check_attachment(
        attachment.filename, attachment.content_type, attachment.content
    )
    stored = Attachment(
        entry=entry,
        filename=filename,
        content_type=content_type,
        size=len(attachment.content),
        content_id=attachment.content_id,
    )
    stored.file.save(filename, ContentFile(attachment.content), save=False)
    stored.save()
    thumbnails.enqueue_on_commit(stored)
    return stored
