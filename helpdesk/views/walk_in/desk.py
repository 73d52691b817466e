"""An agent's desk at a branch: sit down, call the next visitor, recall, no-show, finish, transfer."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.forms.walk_in import FinishForm, TransferForm
from helpdesk.models import Desk, Visit
from helpdesk.queue import line
from helpdesk.roles import agent_required
from helpdesk.views.transitions import refusal_as_message
from helpdesk.walk_in import visits

NEXT_SHOWN = 8


def _desk(pk) -> Desk:
    return get_object_or_404(Desk.objects.select_related("branch__calendar", "agent"), pk=pk)


def _my_visit(request, pk) -> Visit:
    """A visitor at the desk where this agent sits; nobody else's buttons work on them."""
    return get_object_or_404(
        Visit.objects.select_related("desk", "branch", "ticket__queue"), pk=pk, desk__agent=request.user
    )


@agent_required
@require_GET
def desk_page(request, pk):
    desk = _desk(pk)
    current = (
        Visit.objects.filter(desk=desk, state=Visit.State.CALLED)
        .select_related("service", "ticket__customer", "ticket__category")
        .first()
    )
    services = desk.services.all() if desk.services.exists() else None
    next_up = visits.waiting_visits(desk.branch, services=services).select_related("service")
    context = {
        "desk": desk,
        "is_mine": desk.agent_id == request.user.pk,
        "current": current,
        "next_up": next_up[:NEXT_SHOWN],
        "finish_form": FinishForm(),
        "transfer_form": TransferForm(visit=current) if current else None,
    }
    if request.htmx:
        return render(request, "helpdesk/walk_in/desk.html#next-up", context)
    return render(request, "helpdesk/walk_in/desk.html", context)


@agent_required
@require_POST
def sit_down(request, pk):
    desk = _desk(pk)
    with refusal_as_message(request):
        desk.sit_down(request.user)
        return redirect("helpdesk:walk-in-desk", pk=desk.pk)
    return redirect("helpdesk:walk-in")


@agent_required
@require_POST
def leave(request, pk):
    desk = _desk(pk)
    with refusal_as_message(request):
        desk.leave(request.user)
        messages.success(
            request,
            _("You left desk %(desk)s. No visitor is called to it until someone sits there.")
            % {"desk": desk.label},
        )
    return redirect("helpdesk:walk-in")


@agent_required
@require_POST
def call_next(request, pk):
    desk = _desk(pk)
    try:
        with refusal_as_message(request):
            if visits.call_next(desk, agent=request.user) is None:
                messages.info(request, _("Nobody is waiting for this desk right now."))
    except line.NotAvailable:
        messages.warning(request, _("You are on a break or away. Mark yourself available to call visitors."))
    return redirect("helpdesk:walk-in-desk", pk=desk.pk)


@agent_required
@require_POST
def recall(request, pk):
    visit = _my_visit(request, pk)
    with refusal_as_message(request):
        visit.recall(by=request.user)
        messages.info(
            request,
            _("%(number)s called again: the lobby screen shows the number once more.")
            % {"number": visit.code},
        )
    return redirect("helpdesk:walk-in-desk", pk=visit.desk_id)


@agent_required
@require_POST
def no_show(request, pk):
    visit = _my_visit(request, pk)
    with refusal_as_message(request):
        visit.mark_no_show(by=request.user)
        messages.info(
            request, _("%(number)s did not come. Their request is closed.") % {"number": visit.code}
        )
    return redirect("helpdesk:walk-in-desk", pk=visit.desk_id)


@agent_required
@require_POST
def finish(request, pk):
    visit = _my_visit(request, pk)
    form = FinishForm(request.POST)
    with refusal_as_message(request):
        visit.finish(by=request.user, solved=form.is_valid() and form.cleaned_data["solved"])
        if visit.ticket.is_open:
            text = _("%(number)s served. Their request %(reference)s stays with you for the follow-up.")
        else:
            text = _("%(number)s served and their request %(reference)s resolved.")
        messages.success(request, text % {"number": visit.code, "reference": visit.ticket.reference})
    return redirect("helpdesk:walk-in-desk", pk=visit.desk_id)


@agent_required
@require_POST
def left(request, pk):
    """A waiting visitor tells the front desk they cannot wait any longer."""
    visit = get_object_or_404(Visit.objects.select_related("branch", "ticket"), pk=pk)
    with refusal_as_message(request):
        visit.expire(by=request.user)
        text = _("%(number)s left before being called. Their request is closed.")
        messages.info(request, text % {"number": visit.code})
    return redirect("helpdesk:walk-in-front-desk", slug=visit.branch.slug)


@agent_required
@require_POST
def transfer(request, pk):
    """Send a visitor to another line; they keep their place by arrival time.

    The agent at the visitor's desk can send them on; a waiting visitor can be sent on by any
    agent (the front desk put them in the wrong line).
    """
    visit = get_object_or_404(Visit.objects.select_related("desk", "branch", "ticket"), pk=pk)
    if visit.state == Visit.State.CALLED and visit.desk.agent_id != request.user.pk:
        visit = _my_visit(request, pk)  # 404: not at this agent's desk
    desk_id = visit.desk_id
    form = TransferForm(request.POST, visit=visit)
    if not form.is_valid():
        messages.error(request, _("Choose the line to send the visitor to."))
    else:
        with refusal_as_message(request):
            visit.transfer(form.cleaned_data["service"], by=request.user)
            messages.success(
                request,
                _("%(number)s now waits for %(line)s, keeping their place by arrival.")
                % {"number": visit.code, "line": visit.service.name},
            )
    if desk_id:
        return redirect("helpdesk:walk-in-desk", pk=desk_id)
    return redirect("helpdesk:walk-in-front-desk", slug=visit.branch.slug)
