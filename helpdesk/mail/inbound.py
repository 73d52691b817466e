"""The email channel: one raw message in, one InboundEmail row out, with the ticket change it causes.

Every message is recorded, whatever becomes of it (a new ticket, a reply on a ticket, a bounce,
an ignored auto-reply, or the quarantine), in the same transaction as that change, so a crash
loses nothing and a re-run duplicates nothing. Machine-written mail is never acknowledged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from helpdesk import intake
from helpdesk.attachments import check_attachment, safe_filename
from helpdesk.mail.outbox import sender_domain
from helpdesk.mail.parse import ParsedEmail, parse
from helpdesk.mail.text import guess_language
from helpdesk.models import Customer, InboundEmail, Notification, Ticket, TicketEntry
from helpdesk.references import find_references

logger = logging.getLogger(__name__)

Outcome = InboundEmail.Outcome
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class IngestResult:
    outcome: str  # an InboundEmail.Outcome, or "duplicate" (nothing new was recorded)
    reference: str = ""
    reason: str = ""

    def describe(self) -> str:
        """One line for the command's output: "created K7MX-4R9D", "ignored (why)"."""
        if self.outcome in (Outcome.CREATED, Outcome.THREADED):
            return f"{self.outcome} {self.reference}"
        details = "; ".join(filter(None, [self.reason, self.reference]))
        return f"{self.outcome} ({details})" if details else self.outcome


def ingest_message(raw: bytes, *, source: str) -> IngestResult:
    """Record one inbound email and act on it. Never raises for a bad message."""
    try:
        parsed, problem = parse(raw), ""
    except Exception as error:
        parsed, problem = None, type(error).__name__
    key = InboundEmail.dedupe_key_for(parsed.message_id if parsed else "", raw)
    if InboundEmail.objects.filter(dedupe_key=key).exists():
        return IngestResult(DUPLICATE)
    try:
        with transaction.atomic():
            if parsed is None:
                return _record(
                    None,
                    raw,
                    key,
                    source,
                    Outcome.QUARANTINED,
                    _("unreadable message (%(error)s)") % {"error": problem},
                )
            return _act(parsed, raw, key, source)
    except IntegrityError:
        if InboundEmail.objects.filter(dedupe_key=key).exists():
            return IngestResult(DUPLICATE)  # delivered twice at the same moment
        logger.exception("inbound email from %s could not be stored", source)
        failure = "IntegrityError"
    except Exception as error:
        logger.exception("inbound email from %s could not be processed", source)
        failure = type(error).__name__
    with transaction.atomic():
        return _record(
            parsed,
            raw,
            key,
            source,
            Outcome.QUARANTINED,
            _("could not be processed (%(error)s)") % {"error": failure},
        )


def _record(
    parsed: ParsedEmail | None,
    raw: bytes,
    key: str,
    source: str,
    outcome: str,
    reason: str = "",
    ticket: Ticket | None = None,
) -> IngestResult:
    InboundEmail.objects.create(
        dedupe_key=key,
        message_id=parsed.message_id if parsed else "",
        source=source[:300],
        from_address=(parsed.from_address if parsed else "")[:320],
        subject=(parsed.subject if parsed else "")[:998],
        raw=raw,
        outcome=outcome,
        reason=reason,
        ticket=ticket,
        review=InboundEmail.Review.PENDING if outcome == Outcome.QUARANTINED else InboundEmail.Review.NONE,
    )
    return IngestResult(outcome, ticket.reference if ticket else "", reason)


def _act(parsed: ParsedEmail, raw: bytes, key: str, source: str) -> IngestResult:
    def record(outcome, reason="", ticket=None):
        return _record(parsed, raw, key, source, outcome, reason, ticket)

    if parsed.bounce is not None:
        return _bounce(parsed, record)
    ticket = find_ticket(parsed)
    if parsed.automatic:
        return record(Outcome.IGNORED, _("automatic message: %(why)s") % {"why": parsed.automatic}, ticket)
    if not parsed.from_address:
        return record(Outcome.QUARANTINED, _("no usable sender address"))
    if parsed.from_address.rpartition("@")[2] == sender_domain():
        return record(Outcome.IGNORED, _("sent from our own address"), ticket)
    attachments, refused = accepted_attachments(parsed)
    if not parsed.text.strip() and not attachments:
        reason = _("no text and no attachment we can accept") if refused else _("no text and no attachment")
        return record(Outcome.QUARANTINED, reason)
    data = {"refused_attachments": refused} if refused else {}
    if ticket is not None:
        entry = ticket.receive_customer_message(
            body=parsed.text,
            channel="email",
            quoted_text=parsed.quoted_text,
            message_id=parsed.message_id,
            data=data,
        )
        for attachment in attachments:
            intake.store_attachment(entry, attachment)
        return record(Outcome.THREADED, ticket=ticket)
    ticket = intake.receive(
        channel="email",
        identity_verified=False,  # the From address is the sender's claim; replies go to it
        subject=parsed.subject,
        body=parsed.text,
        name=parsed.from_name,
        email=parsed.from_address,
        language=guess_language(parsed.text) or known_language(parsed.from_address),
        message_id=parsed.message_id,
        quoted_text=parsed.quoted_text,
        attachments=attachments,
    )
    if data:
        TicketEntry.objects.filter(ticket=ticket, kind=TicketEntry.Kind.MESSAGE).update(data=data)
    return record(Outcome.CREATED, ticket=ticket)


def _bounce(parsed: ParsedEmail, record) -> IngestResult:
    bounce = parsed.bounce
    notification = (
        Notification.objects.filter(message_id__in=bounce.original_message_ids)
        .select_related("ticket")
        .first()
    )
    ticket = notification.ticket if notification else None
    if not bounce.is_failure:
        return record(Outcome.IGNORED, _("delivery delayed: a warning, not a failure"), ticket)
    if notification is None:
        return record(
            Outcome.BOUNCE, _("bounce of a message we did not send: %(why)s") % {"why": bounce.describe()}
        )
    notification.record_bounce(bounce.describe())
    return record(Outcome.BOUNCE, bounce.describe(), ticket)


def accepted_attachments(parsed: ParsedEmail) -> tuple[list[intake.IncomingAttachment], list[dict]]:
    """The files we keep, and the ones refused with why (the message itself is still kept)."""
    kept, refused = [], []
    for attachment in parsed.attachments:
        filename = safe_filename(attachment.filename)
        try:
            accepted = check_attachment(filename, attachment.content_type, attachment.content)
        except ValidationError as error:
            refused.append({"filename": filename, "reason": " ".join(error.messages)})
            continue
        kept.append(
            intake.IncomingAttachment(
                filename=accepted.filename,
                content_type=accepted.content_type,
                content=attachment.content,
                content_id=attachment.content_id[:255],
            )
        )
    return kept, refused


def find_ticket(parsed: ParsedEmail) -> Ticket | None:
    """The ticket this message answers: by our Message-IDs in its headers, or a reference in the subject.

    An exact Message-ID of ours (random, so unguessable) is enough; a bare reference, which anyone
    can read off a subject line, joins the ticket only when the sender is that ticket's customer.
    """
    ids = parsed.thread_ids
    if ids:
        notification = Notification.objects.filter(message_id__in=ids, ticket__isnull=False).first()
        if notification is not None:
            return notification.ticket
        entry = TicketEntry.objects.filter(message_id__in=ids).select_related("ticket").first()
        if entry is not None:
            return entry.ticket
    ours = re.compile(
        rf"^<[^<>@]*?\.?([A-Z0-9]{{4}}-[A-Z0-9]{{4}})@{re.escape(sender_domain())}>$", re.IGNORECASE
    )
    references = [match[1].upper() for match in map(ours.match, ids) if match]
    references += find_references(parsed.subject)
    if not references or not parsed.from_address:
        return None
    return (
        Ticket.objects.filter(reference__in=references, customer__email__iexact=parsed.from_address)
        .order_by("-created_at")
        .first()
    )


def known_language(address: str) -> str:
    customer = Customer.objects.filter(email__iexact=address).only("language").first()
    return customer.language if customer else ""
