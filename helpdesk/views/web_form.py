from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from helpdesk import intake, rate_limits
from helpdesk.channels import web as web_channel
from helpdesk.channels.web import WebRequestForm
from helpdesk.client_address import client_ip
from helpdesk.models import Notification, Ticket
from helpdesk.queue import estimates
from helpdesk.queue.expectations import from_estimate
from helpdesk.views.status import private


@never_cache
@require_http_methods(["GET", "POST"])
def ticket_new(request):
    """The public form: anyone may ask for help, without an account."""
    if request.method == "GET":
        # Prefilled when the customer comes from a closed live chat with what they typed there.
        prefill = {
            field: request.GET[field] for field in ("name", "email", "description") if field in request.GET
        }
        return render(request, "helpdesk/ticket_new.html", {"form": WebRequestForm(initial=prefill)})
    form = WebRequestForm(request.POST, request.FILES)
    if form.filled_by_a_bot:
        # An honest refusal rather than a fake success: a person whose browser filled the
        # hidden field by mistake sees the form again with their text and can simply resend.
        problem = _("Your request could not be sent. Please check the form and send it again.")
        return _form_again(request, form, problem, status=400)
    if not form.is_valid():
        return _form_again(request, form, status=200)
    ip = client_ip(request)
    limits = web_channel.limits(ip=ip, email=form.cleaned_data["email"])
    retry = rate_limits.refused(*limits, now=timezone.now())
    if retry:
        problem = _(
            "Thank you for your patience: we have received several requests from you within the last "
            "hour, so we cannot take a new one right now. What you typed is still here; please send "
            "it again after %(time)s. If it is urgent, please call us."
        ) % {"time": retry.clock}
        return _form_again(request, form, problem, status=429)
    ticket = intake.receive(**form.intake_arguments(), source_ip=ip, acknowledge=True)
    return redirect("helpdesk:ticket-new-done", token=ticket.status_link_token())


def _form_again(request, form, problem="", *, status):
    context = {"form": form, "problem": problem, "files_dropped": bool(request.FILES)}
    return render(request, "helpdesk/ticket_new.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def ticket_new_done(request, token):
    """The confirmation: reference, status link, expected answer; only with the secret token."""
    ticket = get_object_or_404(
        Ticket.objects.select_related("customer", "queue__calendar").with_status_token(token)
    )
    estimate = estimates.estimate(ticket)
    context = {
        "ticket": ticket,
        "estimate": estimate,
        "expected": from_estimate(estimate, ticket.queue.calendar.calendar.tz),
        "status_url": request.build_absolute_uri(reverse("helpdesk:status", args=[token])),
        "acknowledged": ticket.notifications.filter(kind=Notification.Kind.ACKNOWLEDGEMENT).exists(),
    }
    return private(render(request, "helpdesk/ticket_new_done.html", context))
