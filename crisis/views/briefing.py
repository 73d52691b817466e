"""The incident briefing: managers write it, every agent reads it, managers see who has."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis.compensation.forms import BriefingForm
from crisis.models import Briefing, BriefingAcknowledgement, Incident
from helpdesk.roles import AGENTS, MANAGERS, agent_required, is_manager, manager_required


def readers(incident: Incident):
    """Every active staff member with the latest version of this briefing they have read: one query."""
    latest_read = (
        BriefingAcknowledgement.objects.filter(user=OuterRef("pk"), briefing__incident=incident)
        .values("user")
        .annotate(version=Max("briefing__version"))
        .values("version")
    )
    read_at = BriefingAcknowledgement.objects.filter(
        user=OuterRef("pk"), briefing__incident=incident, briefing__is_current=True
    ).values("acknowledged_at")
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[AGENTS, MANAGERS])
        .distinct()
        .annotate(read_version=Subquery(latest_read), read_current_at=Subquery(read_at[:1]))
        .order_by("username")
    )


@agent_required
def briefing_detail(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    versions = list(incident.briefings.select_related("written_by").order_by("-version"))
    current = versions[0] if versions else None
    context = {
        "incident": incident,
        "briefing": current,
        "history": versions[1:],
        "has_read": current is not None and current.acknowledgements.filter(user=request.user).exists(),
        "readers": readers(incident) if is_manager(request.user) and current else None,
    }
    return render(request, "crisis/briefing_detail.html", context)


@manager_required
def briefing_edit(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    current = incident.briefings.current().first()
    form = BriefingForm(request.POST or None, instance=None, initial=_content(current))
    if request.method == "POST" and form.is_valid():
        briefing = Briefing.publish(incident=incident, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Version %(version)s of the briefing is out: every agent is asked to read it.")
            % {"version": briefing.version},
        )
        return redirect("crisis:briefing", pk=incident.pk)
    return render(
        request, "crisis/briefing_edit.html", {"incident": incident, "form": form, "current": current}
    )


def _content(briefing) -> dict:
    if briefing is None:
        return {}
    return {name: getattr(briefing, name) for name in Briefing.CONTENT_FIELDS}


@agent_required
@require_POST
def briefing_acknowledge(request, pk):
    briefing = get_object_or_404(Briefing, pk=pk)
    briefing.acknowledge(by=request.user)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = ""
    return redirect(target or "crisis:briefing", **({} if target else {"pk": briefing.incident_id}))
