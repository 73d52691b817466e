"""POST /api/tickets/ opens a ticket; GET /api/tickets/<reference>/ follows one of your own."""

from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status

from helpdesk.api import channel
from helpdesk.api.schemas import ErrorOut, TicketIn, TicketOut, ticket_out
from helpdesk.models import Ticket
from helpdesk.references import normalise_reference

router = Router(tags=["tickets"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut}


@router.post(
    "/",
    response={201: TicketOut, 200: TicketOut, **ERRORS, 413: ErrorOut, 429: ErrorOut},
    summary="Open a ticket for a customer",
    description=(
        "Creates the ticket and acknowledges it to the customer by email when an email is given. "
        "Answers 201 with the new ticket, or 200 with the ticket already opened by an earlier "
        "request with the same Idempotency-Key or external_id."
    ),
)
def create_ticket(
    request,
    payload: TicketIn,
    idempotency_key: str = Header(
        "", alias="Idempotency-Key", description="Retries with the same key return the same ticket."
    ),
):
    ticket, created = channel.open_ticket(
        integration=request.auth, data=payload.as_form_data(), idempotency_key=idempotency_key.strip()
    )
    return Status(201 if created else 200, ticket_out(ticket))


@router.get(
    "/{reference}/",
    response={200: TicketOut, **ERRORS, 404: ErrorOut},
    summary="One of this integration's tickets, with its public timeline",
)
def ticket_detail(request, reference: str):
    ticket = get_object_or_404(
        Ticket.objects.filter(integration=request.auth).select_related("queue__calendar", "category"),
        reference=normalise_reference(reference),
    )
    return ticket_out(ticket)
