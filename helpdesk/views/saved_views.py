"""Saved views of the queue page: save the current filter, delete it, share it (managers)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.forms.saved_views import SavedViewForm, ShareViewForm
from helpdesk.models import SavedView
from helpdesk.models.saved_view import filter_query
from helpdesk.queue import line
from helpdesk.roles import agent_required, is_manager, manager_required
from helpdesk.views.transitions import refusal_as_message


def queue_page(query: str = ""):
    return redirect(f"{reverse('helpdesk:agent-home')}?{query}" if query else "helpdesk:agent-home")


@agent_required
@require_POST
def save_view(request):
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the view a name (at most 80 characters) to save it."))
        return queue_page(filter_query(request.POST.get("query", "")))
    view = SavedView.save_filter(
        owner=request.user, name=form.cleaned_data["name"], query_string=form.cleaned_data["query"]
    )
    messages.success(request, _("View “%(name)s” saved: it is in your saved views.") % {"name": view.name})
    return queue_page(view.query)


@agent_required
@require_POST
def delete_view(request, pk):
    view = get_object_or_404(SavedView, pk=pk, owner=request.user)
    view.delete()
    messages.info(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return queue_page()


@manager_required
@require_POST
def share_view(request, pk):
    view = get_object_or_404(SavedView, pk=pk, owner=request.user)
    form = ShareViewForm(request.POST, queues=list(line.queues_managed_by(request.user)))
    if not form.is_valid():
        messages.error(request, _("Choose one of the queues you manage."))
        return queue_page()
    queue = form.chosen_queue()
    with refusal_as_message(request):
        view.share_with(queue, by=request.user)
        if queue is None:
            messages.info(request, _("View “%(name)s” is yours alone again.") % {"name": view.name})
        else:
            text = _("View “%(name)s” is shared with the agents of %(queue)s.")
            messages.success(request, text % {"name": view.name, "queue": queue.name})
    return queue_page()


def saved_views_for(request, queues) -> list[tuple[SavedView, ShareViewForm | None]]:
    """The queue page's saved views, each with its share form where the reader may share it."""
    views = list(SavedView.objects.offered_to(request.user, [queue.pk for queue in queues]))
    if not any(view.owner_id == request.user.pk for view in views) or not is_manager(request.user):
        return [(view, None) for view in views]
    managed = list(line.queues_managed_by(request.user))
    return [
        (
            view,
            ShareViewForm(
                initial={"queue": view.shared_with_id}, queues=managed, auto_id=f"id_share_{view.pk}_%s"
            )
            if view.owner_id == request.user.pk
            else None,
        )
        for view in views
    ]
