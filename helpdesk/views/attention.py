"""The manager's list: what needs a supervisor now in the queues they manage."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.forms.attention import ResolveAttentionRequestForm
from helpdesk.models import AttentionRequest, Ticket
from helpdesk.queue.line import queues_managed_by
from helpdesk.roles import manager_required
from helpdesk.views.transitions import refusal_as_message

# The list shows the oldest first; beyond this many the counts say how many more are waiting.
SHOWN = 100


def render_attention(request, *, failed=None, status=200):
    queues = queues_managed_by(request.user)
    open_requests = (
        AttentionRequest.objects.open()
        .in_queues(queues)
        .select_related("ticket__queue", "ticket__customer", "ticket__assignee", "raised_by")
        .order_by("raised_at", "pk")
    )
    breached = (
        Ticket.objects.past_due(timezone.now())
        .filter(queue__in=queues)
        .select_related("queue", "customer", "assignee")
        .order_by("sla_due_at", "pk")
    )
    shown = list(open_requests[:SHOWN])
    for attention_request in shown:
        # The form that failed keeps what the manager typed; every other row starts empty.
        attention_request.form = (
            failed[1] if failed and failed[0] == attention_request.pk else ResolveAttentionRequestForm()
        )
    context = {
        "attention_requests": shown,
        "attention_request_count": open_requests.count(),
        "breached": breached[:SHOWN],
        "breached_count": breached.count(),
    }
    return render(request, "helpdesk/manager_attention.html", context, status=status)


@manager_required
@require_GET
def manager_attention(request):
    return render_attention(request)


@manager_required
@require_POST
def resolve_attention_request(request, pk):
    attention_request = get_object_or_404(
        AttentionRequest.objects.in_queues(queues_managed_by(request.user)).select_related("ticket"), pk=pk
    )
    form = ResolveAttentionRequestForm(request.POST)
    if not form.is_valid():
        return render_attention(request, failed=(attention_request.pk, form), status=400)
    with refusal_as_message(request):
        attention_request.resolve(by=request.user, note=form.cleaned_data["note"])
        messages.success(
            request,
            _("Escalation of %(reference)s resolved.") % {"reference": attention_request.ticket.reference},
        )
    return redirect("helpdesk:manager-attention")
