"""The agent's queue page, take-next, the agent's availability, and the managers' overview."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.forms.bulk import BulkChangeForm
from helpdesk.forms.queue import BREAK_MINUTES, AvailabilityForm, QueueFilterForm
from helpdesk.forms.saved_views import SavedViewForm
from helpdesk.models import StaffProfile, Ticket, WorkerHeartbeat
from helpdesk.models.saved_view import filter_query
from helpdesk.pagination import CappedSearch
from helpdesk.personal_data.access import Kind, record_access
from helpdesk.queue import figures, line
from helpdesk.roles import agent_required, manager_required
from helpdesk.views.saved_views import saved_views_for

PAGE_SIZE = 25


@agent_required
@require_GET
def agent_home(request):
    """The agent's queues in the one queue order; htmx polls the list part of it."""
    queues = list(
        figures.with_line_counts(line.queues_served_by(request.user))
        .select_related("calendar")
        .order_by("name")
    )
    form = QueueFilterForm(request.GET or None, queues=queues)
    served = Ticket.objects.filter(queue__in=[queue.pk for queue in queues])
    rows = served.as_queue_rows().in_queue_order().with_tags()
    listed = form.filter_besides_text(rows, agent=request.user)
    if form.is_searching:
        paginator = CappedSearch(
            form.filter(served, agent=request.user),
            PAGE_SIZE,
            rows=listed,
            dense_rows=form.filter(rows, agent=request.user, per_ticket=True),
        )
    else:
        paginator = Paginator(listed, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = with_queues(page.object_list, queues)
    context = {"queues": queues, "form": form, "page": page, "now": timezone.now()}
    if request.htmx:  # the list refreshing itself: the search was recorded when it was made
        return render(request, "helpdesk/agent_home.html#queue-list", context)
    if form.is_searching:
        record_access(request.user, Kind.SEARCHED_TICKETS, detail=form.cleaned_data["q"])
    context.update(
        profile=StaffProfile.objects.for_user(request.user),
        heartbeat=WorkerHeartbeat.latest(),
        break_minutes=BREAK_MINUTES,
        bulk_form=BulkChangeForm(),
        saved_views=saved_views_for(request, queues),
        save_view_form=SavedViewForm(initial={"query": filter_query(request.GET.urlencode())}),
    )
    return render(request, "helpdesk/agent_home.html", context)


def with_queues(tickets, queues) -> list[Ticket]:
    """The page's tickets with their queue (and its calendar) from the queues already loaded.

    Joining the queue and calendar again in the tickets' query cost the planner more than the
    25 rows it returns (two more tables to plan for, with the ticket table's many indexes).
    """
    by_pk = {queue.pk: queue for queue in queues}
    tickets = list(tickets)
    for ticket in tickets:
        # Filled in as if read with the ticket: a cached relation, not a change of queue.
        Ticket.queue.field.set_cached_value(ticket, by_pk[ticket.queue_id])
    return tickets


@agent_required
@require_POST
def take_next(request):
    try:
        ticket = line.take_next(request.user)
    except line.NotAvailable:
        profile = StaffProfile.objects.for_user(request.user)
        if profile.availability == "break":
            until = formats.time_format(timezone.localtime(profile.break_until), "H:i")
            text = _("You are on a break until %(time)s. End the break?")
            messages.warning(request, text % {"time": until})
        else:
            messages.warning(request, _("You are marked as away. Mark yourself available to take requests."))
        return redirect("helpdesk:agent-home")
    if ticket is None:
        messages.info(request, _("Nobody is waiting in your queues right now. Well done!"))
        return redirect("helpdesk:agent-home")
    return redirect(ticket)


@agent_required
@require_POST
def set_availability(request):
    form = AvailabilityForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose available, a short break or away.")]:
            messages.error(request, error)
        return redirect("helpdesk:agent-home")
    profile = StaffProfile.objects.for_user(request.user)
    form.apply(profile)
    if profile.availability == "break":
        until = formats.time_format(timezone.localtime(profile.break_until), "H:i")
        messages.info(
            request, _("Take a breath. Take-next leaves you alone until %(time)s.") % {"time": until}
        )
    return redirect("helpdesk:agent-home")


@manager_required
@require_GET
def queue_overview(request):
    return render(
        request,
        "helpdesk/queue_overview.html",
        {"queues": figures.queue_overview(), "median_available": figures.median_available()},
    )
