"""The crisis area for staff: the incidents, declaring one, moving it on, its page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from crisis import charts, sending
from crisis.forms import DeclareForm, MoveForm
from crisis.models import Incident, IncidentTicket, IncidentUpdate, Subscription
from helpdesk.models import Channel
from helpdesk.roles import agent_required, manager_required
from helpdesk.views.transitions import refusal_as_message


@agent_required
def incident_list(request):
    incidents = Incident.objects.annotate(
        linked=Count("ticket_links", distinct=True),
        drafts=Count("updates", filter=Q(updates__state=IncidentUpdate.State.DRAFT), distinct=True),
    ).order_by("resolved_at", "-declared_at")
    page = Paginator(incidents, 25).get_page(request.GET.get("page"))
    return render(request, "crisis/incident_list.html", {"page": page, "incidents": page.object_list})


@manager_required
@require_http_methods(["GET", "POST"])
def incident_declare(request):
    form = DeclareForm(request.POST or None, initial={"started_at": timezone.localtime().replace(second=0)})
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if not name.startswith("text_")}
        categories = fields.pop("categories")
        incident = Incident.declare(by=request.user, statement=form.texts(), categories=categories, **fields)
        messages.success(request, _("Incident declared; its first statement is on the customer pages."))
        return redirect(incident)
    return render(request, "crisis/incident_declare.html", {"form": form})


def incident_context(incident: Incident) -> dict:
    """Everything on the incident's page, in a fixed number of queries."""
    links = IncidentTicket.objects.filter(incident=incident)
    per_channel = dict(links.values_list("ticket__channel").annotate(n=Count("pk")).order_by())
    hourly = dict(
        links.annotate(hour=TruncHour("ticket__created_at"))
        .values_list("hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    end = incident.resolved_at or timezone.now()
    updates = list(
        incident.updates.select_related("author", "reviewed_by").order_by("-created_at", "-pk")[:50]
    )
    sending_updates = [update for update in updates if update.state == IncidentUpdate.State.PUBLISHED][:3]
    return {
        "incident": incident,
        "events": incident.events.select_related("actor").order_by("-at", "-pk")[:100],
        "updates": updates,
        "progress": [(update, sending.progress(update)) for update in sending_updates],
        "linked": links.select_related("ticket__customer", "linked_by").order_by("-linked_at", "-pk")[:50],
        "linked_count": sum(per_channel.values()),
        "per_channel": [(label, per_channel.get(value, 0)) for value, label in Channel.choices],
        "subscribers": Subscription.objects.filter(incident=incident).aggregate(
            receiving=Count("pk", filter=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)),
            waiting=Count("pk", filter=Q(confirmed_at__isnull=True)),
            left=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
        ),
        "chart": charts.hourly_chart(hourly, start=incident.started_at, end=end, max_hours=charts.PAGE_HOURS),
        "move_form": MoveForm(),
    }


@agent_required
def incident_detail(request, pk):
    incident = get_object_or_404(Incident.objects.select_related("declared_by"), pk=pk)
    return render(request, "crisis/incident_detail.html", incident_context(incident))


@manager_required
@require_POST
def incident_move(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        with refusal_as_message(request):
            incident.move_to(form.cleaned_data["state"], by=request.user, note=form.cleaned_data["note"])
            messages.success(
                request, _("Incident is now: %(state)s.") % {"state": incident.get_state_display()}
            )
    return redirect(incident)


@agent_required
def subscriber_list(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    subscriptions = Subscription.objects.filter(incident=incident).order_by("-created_at", "-pk")
    page = Paginator(subscriptions, 50).get_page(request.GET.get("page"))
    return render(request, "crisis/subscribers.html", {"incident": incident, "page": page})
