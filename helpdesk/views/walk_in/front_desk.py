"""The branches and their desks, the front desk where visitors check in, and the ticket slip."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk.forms.walk_in import CheckInForm
from helpdesk.mail import outbox
from helpdesk.models import Branch, Desk, Visit
from helpdesk.queue import estimates
from helpdesk.queue.expectations import from_estimate
from helpdesk.roles import agent_required
from helpdesk.walk_in import visits

WAITING_SHOWN = 50


@agent_required
@require_GET
def branches(request):
    """Where an agent starts a shift: the branches, their desks and who sits at each."""
    branches = list(Branch.objects.filter(is_active=True).prefetch_related("services", "desks__agent"))
    figures = visits.todays_figures(branches)
    for branch in branches:
        branch.today = figures.get(branch.pk)
    context = {
        "branches": branches,
        "my_desk": Desk.objects.of_agent(request.user).select_related("branch").first(),
    }
    return render(request, "helpdesk/walk_in/branches.html", context)


@agent_required
@require_http_methods(["GET", "POST"])
def front_desk(request, slug):
    branch = get_object_or_404(Branch.objects.select_related("calendar"), slug=slug, is_active=True)
    form = CheckInForm(request.POST or None, branch=branch, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        visit = visits.check_in(**form.cleaned_data, by=request.user)
        return redirect("helpdesk:walk-in-slip", pk=visit.pk)
    waiting = visits.waiting_visits(branch)
    context = {
        "branch": branch,
        "form": form,
        "waiting": waiting.select_related("service", "ticket__customer")[:WAITING_SHOWN],
        "waiting_count": waiting.count(),
        "at_desks": Visit.objects.at_desks(branch).filter(day=branch.local_today()),
    }
    if request.htmx:
        return render(request, "helpdesk/walk_in/front_desk.html#line", context)
    return render(request, "helpdesk/walk_in/front_desk.html", context)


@agent_required
@require_GET
def slip(request, pk):
    """The paper slip handed to the visitor: number, expected wait, and their status link."""
    visit = get_object_or_404(
        Visit.objects.select_related(
            "branch", "service", "ticket__customer", "ticket__queue__calendar"
        ).prefetch_related("ticket__queue__calendar__opening_hours", "ticket__queue__calendar__closures"),
        pk=pk,
    )
    ticket = visit.ticket
    estimate = estimates.estimate(ticket)
    has_contact = bool(ticket.customer.phone or ticket.customer.email)
    context = {
        "visit": visit,
        "estimate": estimate,
        "expected": from_estimate(estimate, ticket.queue.calendar.calendar.tz),
        "status_url": outbox.status_url(ticket) if has_contact else "",
    }
    return render(request, "helpdesk/walk_in/slip.html", context)
