"""The workspace page: everything an agent needs about one ticket, in a fixed number of queries;
and the way each of its forms comes back to it (`change_with_form`)."""

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation

from helpdesk import hooks
from helpdesk.customer_profile import customer_profile
from helpdesk.forms.workspace import (
    AssignForm,
    AttentionRequestForm,
    LinkForm,
    MergeForm,
    NextStepForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    SummaryForm,
    TagForm,
)
from helpdesk.models import CannedResponse, Language, Tag, Ticket
from helpdesk.models.staff import staff_name
from helpdesk.models.timeline import with_attachment_lists
from helpdesk.queue.expectations import expected_first_response
from helpdesk.queue.sla_clocks import sla_clocks
from helpdesk.views.transitions import refusal_as_message
from helpdesk.views.workspace.chat import chat_panel

# What the timeline shows of an entry, and of its author the name (helpdesk.models.staff): the
# author's other columns, two date-times among them, were read and parsed 50 times for nothing.
TIMELINE_FIELDS = [
    "ticket",
    "kind",
    "event",
    "is_public",
    "channel",
    "body",
    "quoted_text",
    "text_removed_at",
    "data",
    "created_at",
    "author__first_name",
    "author__username",
]


def workspace_ticket(reference: str) -> Ticket:
    # Only the relations every page shows are joined: each further table made PostgreSQL plan
    # this one-row query for longer (8 ms with seven joins, 2 ms with four, at 100,000 tickets)
    # than it takes to read a merged ticket or an integration when there is one.
    return get_object_or_404(
        Ticket.objects.select_related("customer", "queue__calendar", "category", "assignee")
        # Most tickets have none of these: their queries are then skipped (Ticket.rows_if_any).
        .noting_which_exist("merged_tickets", "related", "attention_requests", "next_steps", "tags"),
        reference=reference,
    )


def canned_responses(ticket: Ticket, agent) -> list[tuple[CannedResponse, str]]:
    """Active canned responses filled in for this ticket, in the ticket's language first."""
    expected = expected_first_response(ticket) if ticket.is_open else None
    expected_in = {}
    if expected:  # none on a breached ticket: the placeholder stays for the agent to fill in
        for language, _name in Language.choices:
            with translation.override(language):
                expected_in[language] = {"expected_time": str(expected)}
    values = {
        "reference": ticket.reference,
        "agent_name": staff_name(agent),
        **({"customer_name": ticket.customer.name} if ticket.customer.name else {}),
    }
    responses = CannedResponse.objects.active().order_by(
        Case(When(language=ticket.language, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "language",
        "position",
        "title",
    )
    return [
        (response, response.render({**values, **expected_in.get(response.language, {})}))
        for response in responses
    ]


# The tags offered while typing one: a team's vocabulary, bounded for the page.
TAG_SUGGESTIONS = 500


def tag_panel(ticket: Ticket) -> dict:
    """The ticket's tags (when it has any) and the ones in use to suggest."""
    return {
        "tags": ticket.rows_if_any("tags", ticket.tags.order_by("name")),
        "tag_suggestions": Tag.objects.suggested().values_list("name", flat=True)[:TAG_SUGGESTIONS],
    }


def render_workspace(request, ticket: Ticket, *, status: int = 200, held_back=(), **forms):
    """The page, with any bound forms passed in kept as typed (invalid input, refused actions)."""
    ticket.mark_viewed_by(request.user, replying=bool(held_back))
    merged_tickets = ticket.rows_if_any("merged_tickets", ticket.merged_tickets.order_by("created_at"))
    entries = with_attachment_lists(
        ticket.timeline(merged_ids=[merged.pk for merged in merged_tickets])
        .select_related("author")
        .only(*TIMELINE_FIELDS)
    )
    # The reference of the duplicate an entry came from, from the tickets already read rather
    # than a join of every entry with its ticket; None for the ticket's own entries.
    references = {merged.pk: merged.reference for merged in merged_tickets}
    for entry in entries:
        entry.merged_from = references.get(entry.ticket_id)
    seen_up_to = max((entry.pk for entry in entries), default=0)
    initial_forms = {
        "reply_form": ReplyForm(initial={"seen_up_to": seen_up_to}),
        "note_form": NoteForm(),
        "summary_form": SummaryForm(initial={"summary": ticket.summary}),
        "next_step_form": NextStepForm(),
        "status_form": StatusForm(),
        "priority_form": PriorityForm(initial={"priority": ticket.priority}),
        "assign_form": AssignForm(initial={"assignee": ticket.assignee_id}),
        "attention_form": AttentionRequestForm(),
        "merge_form": MergeForm(),
        "link_form": LinkForm(),
        "tag_form": TagForm(),
    }
    context = {
        "ticket": ticket,
        "entries": entries,
        "held_back_ids": {entry.pk for entry in held_back},
        "notifications": ticket.notifications.order_by("created_at", "pk"),
        "next_steps": ticket.rows_if_any("next_steps", ticket.next_steps.all()),
        "attention_requests": ticket.rows_if_any(
            "attention_requests", ticket.attention_requests.select_related("raised_by", "resolved_by")
        ),
        "related": ticket.rows_if_any("related", ticket.related.order_by("created_at")),
        "merged_tickets": merged_tickets,
        "viewers": list(ticket.other_viewers(request.user)),
        "canned_responses": canned_responses(ticket, request.user),
        **chat_panel(ticket, request.user),
        **tag_panel(ticket),
        "workspace_notices": hooks.WORKSPACE_NOTICES.collect(request, ticket),
        "workspace_panels": hooks.WORKSPACE_PANELS.collect(request, ticket),
        "sla_clocks": sla_clocks(ticket),
        "profile": customer_profile(ticket.customer, besides=ticket),
        **initial_forms,
        **forms,
    }
    return render(request, "helpdesk/ticket_detail.html", context, status=status)


def change_with_form(request, reference, form_class, form_name, change):
    """The way of every form on the workspace. A rejected form comes back with what was typed and
    why; a change the ticket's state refuses says why and keeps the form; a change made says so
    (`change(ticket, form)` makes it and returns what to tell the agent) and shows the ticket."""
    ticket = workspace_ticket(reference)
    form = form_class(request.POST)
    if not form.is_valid():
        return render_workspace(request, ticket, **{form_name: form})
    with refusal_as_message(request):
        messages.success(request, change(ticket, form))
        return redirect(ticket)
    return render_workspace(request, ticket, status=409, **{form_name: form})
