"""Proposing compensation for a ticket, and deciding one proposal."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis.compensation import services
from crisis.compensation.forms import BulkProposalForm, DecisionForm, ProposalForm
from crisis.models import CompensationPolicy, CompensationProposal, GrantLimit, Incident
from helpdesk.models import InvalidTransition, Ticket
from helpdesk.roles import agent_required, is_manager, manager_required
from helpdesk.views.transitions import refusal_as_message


def _offer(data) -> services.Offer:
    return services.Offer(
        kind=data["kind"],
        amount=data.get("amount"),
        currency=data.get("currency") or "",
        duration_days=data.get("duration_days"),
        justification=data["justification"],
        policy=data.get("policy"),
    )


@agent_required
def proposal_new(request, reference):
    ticket = get_object_or_404(Ticket.objects.select_related("customer", "queue"), reference=reference)
    incidents = Incident.objects.filter(ticket_links__ticket=ticket)
    policies = CompensationPolicy.objects.filter(incident__in=incidents, is_active=True).select_related(
        "incident"
    )
    form = ProposalForm(request.POST or None, incidents=incidents, policies=policies)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose(
                ticket=ticket,
                incident=form.cleaned_data["incident"],
                offer=_offer(form.cleaned_data),
                by=request.user,
            )
        except InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            if proposal.granted_on_the_spot:
                messages.success(
                    request, _("Granted within your limit; the customer is told. A manager may review it.")
                )
            else:
                messages.success(
                    request,
                    _("Proposed: it waits for a manager's decision, and the customer's status page says so."),
                )
            return redirect("helpdesk:ticket-detail", reference=ticket.reference)
    context = {
        "ticket": ticket,
        "form": form,
        "policies": policies,
        "limits": GrantLimit.objects.filter(agent=request.user).order_by("kind", "currency"),
    }
    return render(request, "crisis/proposal_new.html", context, status=400 if form.errors else 200)


@agent_required
def proposal_for_all(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    form = BulkProposalForm(request.POST or None, incident=incident)
    if request.method == "POST" and form.is_valid():
        created = services.propose_for_all_linked(
            incident=incident, offer=_offer(form.cleaned_data), by=request.user
        )
        messages.success(
            request, _("%(count)s proposals wait for a manager's decision.") % {"count": len(created)}
        )
        return redirect("crisis:policies", pk=incident.pk)
    context = {"incident": incident, "form": form, "linked": incident.ticket_links.count()}
    return render(request, "crisis/proposal_for_all.html", context, status=400 if form.errors else 200)


def proposal_for(pk) -> CompensationProposal:
    return get_object_or_404(
        CompensationProposal.objects.select_related(
            "ticket__customer",
            "incident",
            "policy",
            "proposed_by",
            "decided_by",
            "decider",
            "fulfilled_by",
            "reviewed_by",
            "first_approved_by",
        ),
        pk=pk,
    )


@agent_required
def proposal_detail(request, pk):
    proposal = proposal_for(pk)
    context = {
        "proposal": proposal,
        "form": DecisionForm(),
        "can_decide": is_manager(request.user)
        and request.user.pk not in (proposal.proposed_by_id, proposal.first_approved_by_id),
        "needs_two": proposal.state == CompensationProposal.State.PENDING and proposal.needs_second_approval,
        "audit": proposal.audit_entries.select_related("actor").order_by("at", "pk"),
        "others_in_batch": (
            CompensationProposal.objects.filter(batch=proposal.batch).filter(~Q(pk=proposal.pk)).count()
            if proposal.batch
            else 0
        ),
    }
    return render(request, "crisis/proposal_detail.html", context)


def _apply(request, pk, verb: str, success: str):
    """One transition of one proposal, with the note typed; refusals come back as a message."""
    proposal = proposal_for(pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    with refusal_as_message(request):
        getattr(proposal, verb)(by=request.user, note=note)
        messages.success(request, success)
    if request.POST.get("back") == "queue":
        return redirect("crisis:approvals")
    return redirect("crisis:proposal", pk=pk)


@manager_required
@require_POST
def approve(request, pk):
    return _apply(request, pk, "approve", _("Approved; the customer is told in their language."))


@manager_required
@require_POST
def reject(request, pk):
    return _apply(request, pk, "reject", _("Rejected; the customer is told in their language."))


@manager_required
@require_POST
def review(request, pk):
    return _apply(request, pk, "mark_reviewed", _("Marked as reviewed."))


@agent_required
@require_POST
def withdraw(request, pk):
    return _apply(request, pk, "withdraw", _("Withdrawn."))


@agent_required
@require_POST
def fulfil(request, pk):
    return _apply(request, pk, "fulfil", _("Marked as fulfilled."))
