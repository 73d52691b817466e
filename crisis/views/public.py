"""Customer pages of a crisis: "I am affected" in one step, email updates with double opt-in."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from crisis import emails
from crisis.forms import ReportForm, SubscribeForm
from crisis.models import Incident, IncidentTicket, Subscription
from helpdesk import intake, rate_limits
from helpdesk.channels import web as web_channel
from helpdesk.client_address import client_ip
from helpdesk.mail.outbox import acknowledge
from helpdesk.models import Channel
from helpdesk.rate_limits import HOUR, Limit


def _private(response):
    # The tokens in these URLs are keys: they must not leak through a Referer header.
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """The banner's "I am affected": a request linked to the incident at intake, acknowledged with
    the crisis acknowledgement, the customer told of every update."""
    incident = get_object_or_404(Incident.objects.active(), pk=pk)
    form = ReportForm(request.POST or None)
    context = {"incident": incident, "form": form, "title": incident.title_in(request.LANGUAGE_CODE)}
    if request.method == "GET" or not form.is_valid():
        return render(request, "crisis/report.html", context)
    data, ip = form.cleaned_data, client_ip(request)
    # The web form's limits: the same customers, the same kind of request.
    retry = rate_limits.refused(*web_channel.limits(ip=ip, email=data["email"]), now=timezone.now())
    if retry:
        context["problem"] = _(
            "We have received several requests from you within the last hour, so we cannot take a new "
            "one right now. Please try again after %(time)s."
        ) % {"time": retry.clock}
        return render(request, "crisis/report.html", context, status=429)
    with transaction.atomic():
        ticket = intake.receive(
            channel=Channel.WEB,
            identity_verified=False,
            subject=_("Affected by: %(title)s") % {"title": context["title"]},
            body=data["details"] or _("I am affected by this problem."),
            name=data["name"],
            email=data["email"],
            language=data["language"],
            category=incident.categories.order_by("pk").first(),
            source_ip=ip,
            acknowledge=False,
        )
        incident.link(ticket, via=IncidentTicket.Via.INTAKE)
        # Linked first, so the acknowledgement is the crisis one (see crisis.emails).
        acknowledge(ticket, quote_request=False)
    return redirect("helpdesk:ticket-new-done", token=ticket.status_link_token())


@never_cache
@require_POST
def subscribe(request, pk):
    incident = get_object_or_404(Incident.objects.active(), pk=pk)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "crisis/subscribe.html", {"incident": incident, "form": form}, status=400)
    # Each address gets one confirmation an hour (Subscription.request); each client a few.
    ip = client_ip(request)
    limits = (
        [Limit("crisis-subscribe-ip", ip, settings.SUBSCRIPTION_LIMIT_PER_IP_PER_HOUR, HOUR)] if ip else []
    )
    retry = rate_limits.refused(*limits, now=timezone.now())
    if retry:
        problem = _(
            "We have received several requests for updates from your connection within the last hour, "
            "so we cannot send another confirmation right now. Please try again after %(time)s."
        ) % {"time": retry.clock}
        context = {"incident": incident, "form": form, "problem": problem}
        return render(request, "crisis/subscribe.html", context, status=429)
    with transaction.atomic():
        subscription = Subscription.request(
            incident, email=form.cleaned_data["email"], language=form.cleaned_data["language"]
        )
        if subscription is not None:
            emails.subscription_confirmation(subscription)
    # The same answer whether or not a message went out: nobody learns who is subscribed.
    return render(
        request, "crisis/subscribe.html", {"incident": incident, "sent_to": form.cleaned_data["email"]}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    """The link in the confirmation email shows a button: a mail scanner following links must not
    subscribe anyone."""
    subscription = get_object_or_404(Subscription.objects.select_related("incident").with_token(token))
    if request.method == "POST":
        subscription.confirm()
        messages.success(request, _("Thank you: you will receive every update about this problem."))
        return _private(redirect("crisis:subscription-confirm", token=token))
    context = {"subscription": subscription, "title": subscription.incident.title_in(request.LANGUAGE_CODE)}
    return _private(render(request, "crisis/subscription_confirm.html", context))


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without our form; the signed token is the key
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        incident_id, email = emails.read_unsubscribe_token(token)
    except signing.BadSignature as error:
        raise Http404 from error
    incident = get_object_or_404(Incident, pk=incident_id)
    done = request.method == "POST"
    if done:
        Subscription.opt_out(incident_id, email)
    context = {
        "incident": incident,
        "title": incident.title_in(request.LANGUAGE_CODE),
        "done": done,
        "email": email,
    }
    return _private(render(request, "crisis/unsubscribe.html", context))
