"""Canned responses and macros: agents read the list; managers write, deactivate and reactivate."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.forms.macros import MacroForm
from helpdesk.models import CannedResponse
from helpdesk.roles import agent_required, is_manager, manager_required


@agent_required
@require_GET
def macro_list(request):
    responses = CannedResponse.objects.select_related("category").order_by(
        "-is_active", "language", "position", "title"
    )
    context = {"responses": responses, "can_edit": is_manager(request.user)}
    return render(request, "helpdesk/macros.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def macro_create(request):
    return _macro_form(request, None)


@manager_required
@require_http_methods(["GET", "POST"])
def macro_edit(request, pk):
    return _macro_form(request, get_object_or_404(CannedResponse, pk=pk))


def _macro_form(request, response: CannedResponse | None):
    form = MacroForm(request.POST or None, instance=response)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("“%(title)s” saved.") % {"title": saved.title})
        return redirect("helpdesk:macros")
    return render(request, "helpdesk/macro_form.html", {"form": form, "response": response})


@manager_required
@require_POST
def macro_deactivate(request, pk):
    response = get_object_or_404(CannedResponse, pk=pk)
    if response.set_active(False):
        messages.success(
            request, _("“%(title)s” is no longer offered to agents.") % {"title": response.title}
        )
    return redirect("helpdesk:macros")


@manager_required
@require_POST
def macro_reactivate(request, pk):
    response = get_object_or_404(CannedResponse, pk=pk)
    if response.set_active(True):
        messages.success(request, _("“%(title)s” is offered to agents again.") % {"title": response.title})
    return redirect("helpdesk:macros")
