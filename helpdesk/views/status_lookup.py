"""/status/: a customer finds their request by reference and email, or has its links emailed."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk import status_access
from helpdesk.client_address import client_ip
from helpdesk.forms.status import StatusLinksForm, StatusLookupForm
from helpdesk.rate_limits import RetryAt
from helpdesk.views.status import private


def _lookup_page(request, *, lookup_form=None, links_form=None, problem="", status=200):
    context = {
        "lookup_form": lookup_form or StatusLookupForm(),
        "links_form": links_form or StatusLinksForm(),
        "problem": problem,
    }
    return private(render(request, "helpdesk/status_lookup.html", context, status=status))


def _too_many(retry: RetryAt) -> str:
    return _(
        "Thank you for your patience: there have been many attempts from your connection in a short "
        "time, so we have paused them for your safety. Please try again after %(time)s. If it is "
        "urgent, please call us."
    ) % {"time": retry.clock}


@never_cache
@require_http_methods(["GET", "POST"])
def status_lookup(request):
    if request.method == "GET":
        return _lookup_page(request)
    form = StatusLookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, lookup_form=form)
    ip = client_ip(request) or "unknown"
    retry = status_access.take_lookup(ip, now=timezone.now())
    if retry:
        return _lookup_page(request, lookup_form=form, problem=_too_many(retry), status=429)
    ticket = status_access.look_up(**form.cleaned_data)
    if ticket is None:
        # One answer for a wrong reference and a wrong address alike (see helpdesk.status_access).
        problem = _(
            "We could not find a request with this reference and email address. Please check both: "
            "the reference is in the confirmation email we sent to the address you gave us."
        )
        return _lookup_page(request, lookup_form=form, problem=problem)
    # Only hashes of links are stored: the way in is a link drawn now.
    return private(redirect("helpdesk:status", token=ticket.draw_status_link()))


@never_cache
@require_POST
def status_links(request):
    form = StatusLinksForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, links_form=form)
    ip, email = client_ip(request) or "unknown", form.cleaned_data["email"]
    retry = status_access.take_links(ip, email, now=timezone.now())
    if retry:
        return _lookup_page(request, links_form=form, problem=_too_many(retry), status=429)
    status_access.request_status_links(email=email)
    # The same words whether or not we know the address: nobody learns who our customers are.
    messages.success(
        request,
        _(
            "If we have open or recent requests for %(email)s, their links are on their way to that "
            "address. Please also check your spam folder. Nothing arrived? Please use the address you "
            "gave us with your request, or call us."
        )
        % {"email": email},
    )
    return redirect("helpdesk:status-lookup")
