"""A customer's data export: one zip holding a JSON document of everything we hold about the
person and their files.

The helpdesk writes its part (the customer record, every request with its timeline, the
messages we sent, walk-in visits, chat transcripts); other apps add theirs through
`hooks.PERSONAL_DATA_EXPORT`. Every interface (the customer page, the command, the customer's
own link) builds the archive through `export_archive`.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from helpdesk import hooks
from helpdesk.models import Attachment, Customer, Notification, Ticket, TicketEntry
from helpdesk.models.staff import staff_name

DOCUMENT = "personal-data.json"


@dataclass(frozen=True)
class Archive:
    filename: str
    content: bytes


def _entry(entry: TicketEntry, files: dict[str, str]) -> dict:
    names = []
    for attachment in entry.attachments.all():
        name = f"files/{entry.ticket.reference}/{attachment.pk}-{attachment.filename}"
        files[name] = attachment.file.name
        names.append(name)
    return {
        "time": entry.created_at,
        "kind": entry.kind,
        "event": entry.event,
        # What the customer never saw: internal notes and the events kept for the team.
        "internal": not entry.is_public and entry.kind != TicketEntry.Kind.MESSAGE,
        "from": "customer" if entry.is_from_customer else (staff_name(entry.author) if entry.author else ""),
        "channel": entry.channel,
        "text": entry.body,
        "files": names,
    }


def _ticket(ticket: Ticket, files: dict[str, str]) -> dict:
    visit = getattr(ticket, "walk_in_visit", None)
    chat = getattr(ticket, "chat", None)
    timeline = [_entry(entry, files) for entry in ticket.entries.all()]
    return {
        "reference": ticket.reference,
        "subject": ticket.subject,
        "name_given": ticket.requester_name,
        "channel": ticket.channel,
        "status": ticket.status,
        "queue": ticket.queue.name,
        "language": ticket.language,
        "complaint": ticket.is_complaint,
        "created_at": ticket.created_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "sent_from_ip_address": ticket.source_ip,
        "problem_summary": ticket.summary,
        "timeline": timeline,
        "walk_in_visit": (
            {"branch": visit.branch.name, "number": visit.code, "day": visit.day, "state": visit.state}
            if visit
            else None
        ),
        "chat_transcript": (
            {
                "started_at": chat.started_at,
                "ended_at": chat.ended_at,
                "lines": [line for line in timeline if line["kind"] in ("message", "reply")],
            }
            if chat
            else None
        ),
    }


def helpdesk_sections(customer: Customer) -> list[hooks.PersonalDataSection]:
    files: dict[str, str] = {}
    entries = TicketEntry.objects.select_related("author", "ticket").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    tickets = (
        customer.tickets.select_related("queue", "walk_in_visit__branch", "chat")
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("created_at", "pk")
    )
    requests = [_ticket(ticket, files) for ticket in tickets]
    sent = Notification.objects.filter(customer=customer) | Notification.objects.filter(
        ticket__customer=customer
    )
    messages = [
        {"kind": message.kind, "to": message.to_email, "subject": message.subject, "sent_at": message.sent_at}
        for message in sent.distinct().order_by("created_at", "pk")
    ]
    record = {
        "number": customer.pk,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "language": customer.language,
        "first_contact": customer.created_at,
        "erased_at": customer.erased_at,
        "team_note_internal": customer.note,
    }
    return [
        hooks.PersonalDataSection("customer", record),
        hooks.PersonalDataSection("requests", requests, files),
        hooks.PersonalDataSection("messages_sent", messages),
    ]


def document_and_files(customer: Customer) -> tuple[dict, dict[str, str]]:
    document: dict = {"exported_at": timezone.now()}
    files: dict[str, str] = {}
    for section in [*helpdesk_sections(customer), *hooks.PERSONAL_DATA_EXPORT.collect(customer)]:
        document[section.key] = section.data
        files.update(section.files)
    return document, files


def export_archive(customer: Customer) -> Archive:
    """The zip: the JSON document and every file, read through the storage API."""
    document, files = document_and_files(customer)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        archive.writestr(DOCUMENT, text)
        for name, stored in files.items():
            if default_storage.exists(stored):
                with default_storage.open(stored, "rb") as file:
                    archive.writestr(name, file.read())
    filename = f"personal-data-{customer.pk}-{timezone.now():%Y%m%d}.zip"
    return Archive(filename, output.getvalue())
