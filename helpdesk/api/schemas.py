"""What goes in and out of the API, as described in /api/openapi.json."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from helpdesk.api.input import Text
from helpdesk.mail import outbox
from helpdesk.models import Ticket, TicketEntry
from helpdesk.queue import estimates
from helpdesk.queue.expectations import from_estimate


class TicketIn(Schema):
    name: Text = Field(None, description="The customer's name.")
    email: Text = Field(None, description="The customer's email address (email or phone required).")
    phone: Text = Field(
        None, description="The customer's phone number, best with its country code (email or phone required)."
    )
    language: Text = Field(
        None, description="en, hu or pl: the language we answer in. Default: the customer's, else en."
    )
    category: Text = Field(None, description="A category's slug; routes the ticket to its queue.")
    subject: Text = Field(None, description="Default: the first line of the description.")
    description: Text = Field(None, description="The customer's request, in their words (required).")
    external_id: Text = Field(
        None, description="Your id for this request; sending it again returns the same ticket."
    )

    def as_form_data(self) -> dict[str, str]:
        return {name: value or "" for name, value in self.model_dump().items()}


class EntryOut(Schema):
    kind: str = Field(description="message (from the customer) or reply (from an agent)")
    body: str
    created_at: datetime


class TicketOut(Schema):
    reference: str
    status: str = Field(description="new, open, waiting, resolved or closed")
    subject: str
    channel: str
    language: str
    queue: str
    category: str | None
    external_id: str
    created_at: datetime
    position: int | None = Field(
        description="The ticket's place in its queue's line, from 1; null once taken or answered."
    )
    expected_first_response: datetime | None = Field(
        description=(
            "The latest time by which we expect to give a first answer, from the queue's recent pace "
            "and opening hours (the end of the range the status page shows); null once taken or answered."
        )
    )
    status_url: str = Field(description="The customer's status page; send it to them, it is their key.")
    timeline: list[EntryOut] = Field(description="Customer messages and agent replies; never internal notes.")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = Field(
        None, description="Field by field; `__all__` for the request as a whole."
    )


def ticket_out(ticket: Ticket) -> dict:
    estimate = estimates.estimate(ticket)
    expected = from_estimate(estimate, ticket.queue.calendar.calendar.tz)
    return {
        "reference": ticket.reference,
        "status": ticket.status,
        "subject": ticket.subject,
        "channel": ticket.channel,
        "language": ticket.language,
        "queue": ticket.queue.name,
        "category": ticket.category.slug if ticket.category else None,
        "external_id": ticket.external_id,
        "created_at": ticket.created_at,
        "position": estimate.position,
        "expected_first_response": expected.at if expected else None,
        "status_url": outbox.status_url(ticket),
        "timeline": ticket.entries.filter(
            is_public=True, kind__in=[TicketEntry.Kind.MESSAGE, TicketEntry.Kind.REPLY]
        ).values("kind", "body", "created_at"),
    }
