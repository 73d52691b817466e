"""Customer records, for agents: their page and preferences, merging the duplicate an anonymous
sender's details created."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.customer_profile import customer_page_profile, personal_data_panel
from helpdesk.forms.customers import CustomerMergeForm, CustomerNoteForm, CustomerPreferencesForm
from helpdesk.models import Customer, Ticket
from helpdesk.personal_data.access import Kind, record_access
from helpdesk.personal_data.preferences import change_preferences, describe, latest_changes
from helpdesk.roles import agent_required, is_manager
from helpdesk.views.transitions import refusal_as_message

CANDIDATES = 8


@agent_required
@require_http_methods(["GET", "POST"])
def customer_detail(request, pk):
    """All of a customer's requests, open ones first, the team's note about them, their
    preferences."""
    customer = get_object_or_404(Customer.objects.select_related("note_updated_by"), pk=pk)
    form, status = None, 200
    if request.method == "POST":
        form = CustomerNoteForm(request.POST)
        if form.is_valid():
            with refusal_as_message(request):
                customer.write_note(
                    form.cleaned_data["note"], by=request.user, seen_at=form.cleaned_data["seen_at"]
                )
                messages.success(request, gettext("Note saved."))
                return redirect("helpdesk:customer-detail", pk=customer.pk)
            # Their note is shown; the form keeps what was typed, ready to be sent again.
            customer.refresh_from_db()
            typed = form.cleaned_data["note"]
            form = CustomerNoteForm(initial={"note": typed, "seen_at": customer.note_updated_at})
            status = 409
        else:
            status = 400
    else:
        record_access(request.user, Kind.OPENED_CUSTOMER, customer=customer)
    return customer_page(request, customer, form=form, status=status)


@agent_required
@require_POST
def customer_preferences(request, pk):
    """Change the customer's preferences at their request; recorded with how they asked."""
    customer = get_object_or_404(Customer.objects.select_related("note_updated_by"), pk=pk)
    form = CustomerPreferencesForm(customer, request.POST)
    if not form.is_valid():
        return customer_page(request, customer, preferences_form=form, status=400)
    changes = change_preferences(
        customer, form.preference_values(), request=form.cleaned_data["request"], by=request.user
    )
    if changes:
        messages.success(
            request, gettext("Preferences changed: %(changes)s.") % {"changes": describe(changes)}
        )
    else:
        messages.info(request, gettext("Nothing changed: the preferences were already so."))
    return redirect("helpdesk:customer-detail", pk=customer.pk)


def customer_page(request, customer, *, form=None, preferences_form=None, status=200):
    initial_note = {"note": customer.note, "seen_at": customer.note_updated_at}
    profile = customer_page_profile(customer, page_number=request.GET.get("page"))
    context = {
        "profile": profile,
        "page": profile.page,
        "form": form or CustomerNoteForm(initial=initial_note),
        "preferences_form": preferences_form or CustomerPreferencesForm(customer),
        "preference_changes": latest_changes(customer),
        "customer": customer,
        "reads_access_record": is_manager(request.user),
    }
    if is_manager(request.user):
        context["personal_data"] = personal_data_panel(customer, request.user)
    return render(request, "helpdesk/customer_detail.html", context, status=status)


@agent_required
@require_http_methods(["GET", "POST"])
def customer_merge(request, pk):
    """Find the duplicate, see both records and their requests side by side, confirm."""
    customer = get_object_or_404(Customer, pk=pk)
    params = request.POST if request.method == "POST" else request.GET
    came_from = Ticket.objects.filter(reference=params.get("from", "")).first()
    form = CustomerMergeForm(customer, params if "duplicate" in params else None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_message(request):
            moved = customer.merge_in(form.cleaned_data["duplicate"], by=request.user)
            text = ngettext(
                "Customers merged: %(count)d request moved to %(name)s.",
                "Customers merged: %(count)d requests moved to %(name)s.",
                len(moved),
            )
            messages.success(request, text % {"count": len(moved), "name": customer.display_name})
        return redirect(came_from) if came_from else redirect("helpdesk:customer-merge", pk=customer.pk)
    query = " ".join(request.GET.get("q", "").split())
    candidates = Customer.objects.none()
    if len(query) >= 2:
        record_access(request.user, Kind.SEARCHED_CUSTOMERS, detail=query)
        candidates = Customer.objects.search(query).exclude(pk=customer.pk).with_open_ticket_count()
    context = {
        "customer": customer,
        "form": form,
        "query": query,
        "came_from": came_from,
        "candidates": candidates.order_by("name", "pk")[:CANDIDATES],
        "kept_tickets": customer.tickets.order_by("-created_at"),
    }
    if form.is_bound and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        context.update(duplicate=duplicate, duplicate_tickets=duplicate.tickets.order_by("-created_at"))
    return render(request, "helpdesk/customer_merge.html", context, status=400 if form.errors else 200)
