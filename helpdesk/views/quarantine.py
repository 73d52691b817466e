"""Agents review email that could not become a ticket by itself: convert it, or discard it with a reason."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk import intake
from helpdesk.forms.quarantine import ConvertToTicketForm, DiscardForm
from helpdesk.mail.parse import parse
from helpdesk.models import Channel, InboundEmail, InvalidTransition
from helpdesk.roles import agent_required
from helpdesk.views.transitions import refusal_as_message


@agent_required
def quarantine_list(request):
    page = Paginator(InboundEmail.objects.quarantined().order_by("-received_at").defer("raw"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "helpdesk/quarantine_list.html", {"page": page})


@agent_required
def quarantine_detail(request, pk):
    message = get_object_or_404(InboundEmail, pk=pk, outcome=InboundEmail.Outcome.QUARANTINED)
    return _detail(request, message)


def _detail(request, message, *, convert_form=None, discard_form=None, status=200):
    """The detail page, with whichever form was just rejected showing its errors."""
    context = {
        "message": message,
        "convert_form": convert_form or ConvertToTicketForm(initial=_initial_ticket(message)),
        "discard_form": discard_form or DiscardForm(),
    }
    return render(request, "helpdesk/quarantine_detail.html", context, status=status)


def _initial_ticket(message: InboundEmail) -> dict:
    try:
        parsed = parse(bytes(message.raw))
    except Exception:  # the message is in quarantine precisely because it may not parse
        return {"email": message.from_address, "subject": message.subject}
    return {
        "name": parsed.from_name,
        "email": parsed.from_address or message.from_address,
        "subject": parsed.subject or message.subject,
        "description": parsed.text,
    }


@agent_required
@require_POST
def quarantine_convert(request, pk):
    message = get_object_or_404(InboundEmail, pk=pk, outcome=InboundEmail.Outcome.QUARANTINED)
    form = ConvertToTicketForm(request.POST)
    if not form.is_valid():
        return _detail(request, message, convert_form=form, status=400)
    with refusal_as_message(request):
        ticket = _convert(message.pk, form.cleaned_data, by=request.user)
        messages.success(
            request, _("Ticket %(reference)s created from the email.") % {"reference": ticket.reference}
        )
        return redirect(ticket)
    return redirect("helpdesk:quarantine")


@transaction.atomic
def _convert(pk, data, *, by):
    # Locked, so that two agents converting the same message at once make one ticket, not two.
    message = InboundEmail.objects.select_for_update().get(pk=pk)
    if message.review != InboundEmail.Review.PENDING:
        raise InvalidTransition(_("This message has already been dealt with."))
    ticket = intake.receive(
        channel=Channel.EMAIL,
        identity_verified=False,  # the agent rescues the message; its sender is still unverified
        subject=data["subject"],
        body=data["description"],
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        language=data["language"],
        category=data["category"],
        by=by,
        message_id=message.message_id,
    )
    message.convert(ticket, by=by)
    return ticket


@agent_required
@require_POST
def quarantine_discard(request, pk):
    message = get_object_or_404(InboundEmail, pk=pk, outcome=InboundEmail.Outcome.QUARANTINED)
    form = DiscardForm(request.POST)
    if not form.is_valid():
        return _detail(request, message, discard_form=form, status=400)
    with refusal_as_message(request):
        message.discard(by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The message was discarded; it stays on record with your reason."))
    return redirect("helpdesk:quarantine")
