"""The customer's status page, reached only through the unguessable link we sent them."""

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from helpdesk import hooks, live
from helpdesk.forms.status import CustomerReplyForm, SummaryCorrectionForm
from helpdesk.models import NextStep, Ticket, TicketEntry
from helpdesk.models.timeline import with_attachment_lists
from helpdesk.queue import estimates
from helpdesk.queue.expectations import customer_status, from_estimate
from helpdesk.views.transitions import refusal_as_message

# The events a customer cares about; assignment, delivery and SLA bookkeeping stay in-house.
CUSTOMER_EVENTS = [
    TicketEntry.Event.CREATED,
    TicketEntry.Event.STATUS_CHANGED,
    TicketEntry.Event.SUMMARY_CONFIRMED,
    TicketEntry.Event.SUMMARY_CORRECTED,
    TicketEntry.Event.NEXT_STEP,
    TicketEntry.Event.MERGED,
    TicketEntry.Event.WALK_IN_CALLED,
    TicketEntry.Event.WALK_IN_NO_SHOW,
]


def ticket_by_token(token: str, tickets=None) -> Ticket:
    # The calendar's opening hours and closures come from the cache (BusinessCalendar.calendar).
    # The request it was merged into is read only for a merged one (a query then, rather than a
    # join of the ticket table again on every page).
    tickets = Ticket.objects if tickets is None else tickets
    ticket = get_object_or_404(
        tickets.select_related("queue__calendar", "category", "customer").with_status_token(token)
    )
    ticket.status_token = token  # the page's own forms and links go on with the same link
    return ticket


def public_timeline(ticket: Ticket):
    """Customer messages, agent replies and the events that mean something to the customer."""
    return (
        ticket.entries.filter(is_public=True)
        .filter(
            Q(kind__in=[TicketEntry.Kind.MESSAGE, TicketEntry.Kind.REPLY])
            | Q(kind=TicketEntry.Kind.EVENT, event__in=CUSTOMER_EVENTS)
        )
        .select_related("author")
        .only(
            "ticket",
            "kind",
            "event",
            "channel",
            "is_public",
            "data",
            "body",
            "text_removed_at",
            "created_at",
            "author__first_name",
        )
    )


def next_steps(ticket: Ticket) -> list[NextStep]:
    done = ExpressionWrapper(Q(done_at__isnull=False), output_field=BooleanField())
    return ticket.rows_if_any(
        "next_steps",
        NextStep.objects.filter(ticket=ticket).annotate(is_done=done).order_by("is_done", "due_on", "pk"),
    )


def live_context(ticket: Ticket) -> dict:
    estimate = estimates.estimate(ticket)
    return {
        "ticket": ticket,
        "estimate": estimate,
        "expected": from_estimate(estimate, ticket.queue.calendar.calendar.tz),
        "plain_status": customer_status(ticket, estimate),
    }


def private(response):
    """The link is the key: it must leave no trace in a Referer header or a shared cache.

    With no-referrer, Chromium sends "Origin: null" on the page's own forms; helpdesk.csrf
    accepts that from our own origin (Sec-Fetch-Site: same-origin) and nowhere else.
    """
    response["Referrer-Policy"] = "no-referrer"
    add_never_cache_headers(response)
    return response


def render_page(request, ticket, *, correction_form=None, reply_form=None, files_dropped=False, status=200):
    context = {
        **live_context(ticket),
        "live_stream": ticket.is_open
        and live.live_stream(reverse("helpdesk:live-status", args=[ticket.status_token])),
        "entries": with_attachment_lists(public_timeline(ticket)),
        "next_steps": next_steps(ticket),
        "correction_form": correction_form or SummaryCorrectionForm(),
        "reply_form": reply_form or CustomerReplyForm(),
        "files_dropped": files_dropped,
        "status_notices": hooks.STATUS_NOTICES.collect(request, ticket),
        "status_panels": hooks.STATUS_PANELS.collect(request, ticket),
    }
    return private(render(request, "helpdesk/status.html", context, status=status))


@never_cache
@require_GET
def status_page(request, token):
    # Most requests have no next steps: the ticket's query says so, and they are not read.
    return render_page(request, ticket_by_token(token, Ticket.objects.noting_which_exist("next_steps")))


@never_cache
@require_GET
def status_live(request, token):
    """The part that changes while the customer waits (position, estimate), polled by htmx."""
    ticket = ticket_by_token(token)
    return private(render(request, "helpdesk/status.html#live", live_context(ticket)))


@never_cache
@require_POST
def summary_confirm(request, token):
    ticket = ticket_by_token(token)
    with refusal_as_message(request):
        if ticket.confirm_summary():
            messages.success(request, _("Thank you for confirming. We will work from this summary."))
    return redirect("helpdesk:status", token=token)


@never_cache
@require_POST
def summary_correct(request, token):
    ticket = ticket_by_token(token)
    form = SummaryCorrectionForm(request.POST)
    if not form.is_valid():
        return render_page(request, ticket, correction_form=form)
    with refusal_as_message(request):
        ticket.correct_summary(form.cleaned_data["text"])
        messages.success(
            request, _("Thank you. Your correction is with the agent, who will update the summary.")
        )
    return redirect("helpdesk:status", token=token)
