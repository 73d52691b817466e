"""An agent's own notifications: the list, the count in the navigation, marking them read,
and which kinds also come by email."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.forms.agent_alerts import AlertEmailsForm
from helpdesk.models import AgentAlert, StaffProfile
from helpdesk.roles import agent_required

PAGE_SIZE = 25


@agent_required
@require_GET
def alert_list(request):
    alerts = AgentAlert.objects.for_recipient(request.user).newest_first().select_related("ticket", "actor")
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "helpdesk/agent_alerts.html", {"page": page})


@agent_required
@require_GET
def alert_count(request):
    """The navigation's count, polled by an open page (htmx) so news arrives without a reload."""
    return render(request, "helpdesk/partials/agent_alert_count.html")


@agent_required
@require_POST
def mark_read(request, pk):
    # Someone else's alert matches nothing: the same answer as one already read.
    AgentAlert.objects.for_recipient(request.user).filter(pk=pk).mark_read()
    return redirect("helpdesk:agent-alerts")


@agent_required
@require_POST
def mark_all_read(request):
    if AgentAlert.objects.for_recipient(request.user).mark_read():
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("helpdesk:agent-alerts")


@agent_required
@require_http_methods(["GET", "POST"])
def alert_settings(request):
    profile = StaffProfile.objects.for_user(request.user)
    form = AlertEmailsForm(request.POST or None, initial={"kinds": profile.alert_emails})
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "helpdesk/agent_alert_settings.html", {"form": form}, status=400)
        profile.choose_alert_emails(form.cleaned_data["kinds"])
        messages.success(request, _("Your choice of notifications by email is saved."))
        return redirect("helpdesk:agent-alerts")
    return render(request, "helpdesk/agent_alert_settings.html", {"form": form})
