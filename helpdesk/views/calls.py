from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk import intake
from helpdesk.channels.phone import CallForm, find_callers
from helpdesk.models import Customer
from helpdesk.personal_data.access import Kind, record_access
from helpdesk.roles import agent_required


@agent_required
@require_http_methods(["GET", "POST"])
def call_new(request):
    """An agent writes down a call while it happens: who, what they said, and how it ended."""
    form = CallForm(
        request.POST or None, initial={"language": request.LANGUAGE_CODE, "assignee": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        ticket = intake.receive(**form.intake_arguments(agent=request.user), acknowledge=True)
        if ticket.solved_on_first_contact:
            text = _("Call logged as %(reference)s and solved on first contact.")
        else:
            text = _("Call logged as %(reference)s.")
        messages.success(request, text % {"reference": ticket.reference})
        return redirect(ticket)
    # After a mistake the caller chosen before stays chosen.
    chosen = form.cleaned_data.get("customer") if form.is_bound else None
    callers = Customer.objects.with_open_ticket_count().filter(pk=chosen.pk) if chosen else []
    context = {"form": form, "callers": callers, "chosen": chosen}
    return render(request, "helpdesk/call_new.html", context)


@agent_required
@require_GET
def customer_search(request):
    query = request.GET.get("q", "").strip()
    if len(query) >= 2:
        record_access(request.user, Kind.SEARCHED_CUSTOMERS, detail=query)
    context = {"callers": find_callers(query) if len(query) >= 2 else [], "query": query}
    return render(request, "helpdesk/call_new.html#caller-results", context)
