"""Managers change what a theme holds: move complaints out (or split them off into a new theme),
and decide the merges that consolidation proposes for escalated themes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from feedback.models import Theme, ThemeMergeProposal
from feedback.themes import consolidation, separation
from feedback.themes.forms import HandOverForm
from feedback.views.themes import render_theme
from helpdesk.models import Ticket
from helpdesk.roles import manager_required
from helpdesk.views.transitions import refusal_as_message

PER_PAGE = 25
DECIDED = 20  # the latest decisions shown under the waiting proposals


@manager_required
@require_POST
def theme_hand_over(request, pk):
    theme = get_object_or_404(Theme.objects.select_related("category"), pk=pk)
    if theme.merged_into_id is not None:
        messages.error(request, _("This theme was merged into another: its complaints are there now."))
        return redirect(theme)
    form = HandOverForm(request.POST, theme=theme, nearby=separation.nearby_themes(theme))
    if not form.is_valid():
        return render_theme(request, theme, status=400, hand_over_form=form)
    with refusal_as_message(request):
        tickets = [ticket.pk for ticket in form.cleaned_data["tickets"]]
        target = separation.hand_over(
            theme,
            tickets,
            to=form.destination_theme(),
            by=request.user,
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            ngettext(
                "%(count)d complaint moved to “%(title)s”.",
                "%(count)d complaints moved to “%(title)s”.",
                len(tickets),
            )
            % {"count": len(tickets), "title": target.title},
        )
        return redirect(theme)
    return render_theme(
        request, Theme.objects.select_related("category").get(pk=pk), status=409, hand_over_form=form
    )


def render_proposals(request, *, status=200):
    pending = (
        ThemeMergeProposal.objects.pending()
        .select_related("kept__recurring_complaint", "absorbed__recurring_complaint")
        .order_by("proposed_at", "pk")
    )
    page = Paginator(pending, PER_PAGE).get_page(request.GET.get("page"))
    # The examples are read from the tickets (one query for the page), so an erasure reaches them.
    wanted = {
        ticket
        for proposal in page
        for ticket in [
            *proposal.evidence.get("kept_examples", []),
            *proposal.evidence.get("absorbed_examples", []),
        ]
    }
    tickets = Ticket.objects.in_bulk(wanted)
    for proposal in page:
        proposal.kept_examples = [
            tickets[t] for t in proposal.evidence.get("kept_examples", []) if t in tickets
        ]
        proposal.absorbed_examples = [
            tickets[t] for t in proposal.evidence.get("absorbed_examples", []) if t in tickets
        ]
    decided = (
        ThemeMergeProposal.objects.exclude(status=ThemeMergeProposal.Status.PENDING)
        .select_related("kept", "absorbed", "decided_by")
        .order_by("-decided_at", "-proposed_at", "-pk")[:DECIDED]
    )
    context = {"page": page, "decided": decided}
    return render(request, "feedback/merge_proposal_list.html", context, status=status)


@manager_required
@require_GET
def merge_proposal_list(request):
    return render_proposals(request)


def proposal_for(pk):
    return get_object_or_404(ThemeMergeProposal.objects.select_related("kept", "absorbed"), pk=pk)


@manager_required
@require_POST
def merge_proposal_accept(request, pk):
    proposal = proposal_for(pk)
    with refusal_as_message(request):
        moved = consolidation.accept(proposal, by=request.user)
        messages.success(
            request,
            ngettext(
                "Merged: %(count)d complaint joined this theme and its escalation.",
                "Merged: %(count)d complaints joined this theme and its escalation.",
                moved,
            )
            % {"count": moved},
        )
        return redirect(proposal.kept)
    return render_proposals(request, status=409)


@manager_required
@require_POST
def merge_proposal_decline(request, pk):
    proposal = proposal_for(pk)
    with refusal_as_message(request):
        proposal.decline(by=request.user)
        messages.success(request, _("Kept apart: these two themes will not be proposed again."))
        return redirect("feedback:merge-proposal-list")
    return render_proposals(request, status=409)
