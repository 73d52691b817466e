"""Managers give other systems access to the API: one integration and token per system."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from helpdesk.api.forms import IntegrationForm
from helpdesk.models import ApiIntegration
from helpdesk.roles import manager_required


def render_list(request, form):
    integrations = (
        ApiIntegration.objects.select_related("created_by")
        .annotate(ticket_count=Count("tickets"))
        .order_by("-is_active", "name")
    )
    return render(request, "helpdesk/integrations.html", {"integrations": integrations, "form": form})


@manager_required
@require_GET
def integration_list(request):
    return render_list(request, IntegrationForm())


@never_cache
@manager_required
@require_POST
def integration_create(request):
    form = IntegrationForm(request.POST)
    if not form.is_valid():
        return render_list(request, form)
    integration, token = ApiIntegration.objects.create_with_token(
        name=form.cleaned_data["name"], created_by=request.user
    )
    # Rendered here, never redirected to: the token exists only in this one response.
    return render(request, "helpdesk/integration_created.html", {"integration": integration, "token": token})


@manager_required
@require_POST
def integration_deactivate(request, pk):
    integration = get_object_or_404(ApiIntegration, pk=pk)
    integration.deactivate()
    messages.success(request, _("%(name)s can no longer use the API.") % {"name": integration.name})
    return redirect("helpdesk:integration-list")


@manager_required
@require_POST
def integration_reactivate(request, pk):
    integration = get_object_or_404(ApiIntegration, pk=pk)
    integration.reactivate()
    messages.success(request, _("%(name)s can use the API again.") % {"name": integration.name})
    return redirect("helpdesk:integration-list")
