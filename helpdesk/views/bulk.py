"""Changing many tickets at once from the queue page: confirm, then change (or follow the worker)."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from helpdesk import bulk
from helpdesk.forms.bulk import MERGE_LIMIT, BulkChangeForm
from helpdesk.models import BulkChange, Ticket
from helpdesk.models.tags import normalise_tag
from helpdesk.roles import agent_required

SAMPLE = 10  # tickets named on the confirmation page


@agent_required
@require_POST
def bulk_change(request):
    form = BulkChangeForm(request.POST)
    back = redirect(
        f"{reverse('helpdesk:agent-home')}?{QueryDict(request.POST.get('filter', '')).urlencode()}"
    )
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose a change for the ticked requests.")]:
            messages.error(request, error)
        return back
    data = form.cleaned_data
    if data["all_matching"]:
        ids = bulk.matching_ids(request.user, data["filter"])
    else:
        ids = bulk.chosen_ids(request.user, data["ticket"])
    if not ids:
        messages.error(request, _("None of the ticked requests is in your queues any more."))
        return back
    if form.is_merge and len(ids) > MERGE_LIMIT:
        messages.error(request, _("Merge at most %(count)d requests at once.") % {"count": MERGE_LIMIT})
        return back
    confirmed = "confirm" in request.POST
    if confirmed and form.needs_colleague and not data["assignee"]:
        form.add_error("assignee", _("Choose the colleague to assign the requests to."))
        confirmed = False
    if confirmed and form.adds_tag and not normalise_tag(data["tag"]):
        form.add_error("tag", _("Write the tag to add."))
        confirmed = False
    if confirmed and form.is_merge and data["target"] not in ids:
        form.add_error("target", _("Choose which of the ticked requests to keep."))
        confirmed = False
    if not confirmed:
        return confirmation(request, form, ids)
    kind, value = form.change(request.user)
    if form.is_merge:  # the one kept is not changed: the others are merged into it
        ids = [pk for pk in ids if pk != data["target"]]
    change = bulk.start(
        by=request.user, kind=kind, value=value, message=data.get("message", ""), ticket_ids=ids
    )
    if not change.is_done:
        return redirect("helpdesk:bulk-progress", pk=change.pk)
    messages.success(request, outcome(change))
    return back


def confirmation(request, form, ids):
    shown = ids if form.is_merge else ids[:SAMPLE]
    sample = list(Ticket.objects.filter(pk__in=shown).in_queue_order().only("reference", "subject", "status"))
    form.for_confirmation()
    if form.is_merge:
        form.fields["target"].widget.choices = [(t.pk, f"{t.reference} · {t.subject}") for t in sample]
    context = {"form": form, "count": len(ids), "sample": sample[:SAMPLE], "change": form.describe()}
    return render(request, "helpdesk/bulk_confirm.html", context)


@agent_required
@require_GET
def bulk_progress(request, pk):
    """The worker's progress on a large change; htmx polls the bar until it is done. Any agent
    may follow it (a colleague the agent hands over to, a manager asked why a list changed)."""
    change = get_object_or_404(BulkChange, pk=pk)
    context = {"change": change, "outcome": outcome(change) if change.is_done else ""}
    if request.htmx:
        return render(request, "helpdesk/bulk_progress.html#progress", context)
    return render(request, "helpdesk/bulk_progress.html", context)


def outcome(change: BulkChange) -> str:
    changed = ngettext("%(count)d request changed.", "%(count)d requests changed.", change.changed) % {
        "count": change.changed
    }
    if not change.skipped:
        return changed
    skipped = ngettext(
        "%(count)d left as it was: it could not take this change (already so, closed, or changed by "
        "someone else meanwhile).",
        "%(count)d left as they were: they could not take this change (already so, closed, or changed "
        "by someone else meanwhile).",
        change.skipped,
    ) % {"count": change.skipped}
    return f"{changed} {skipped}"
