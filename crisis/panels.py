"""What crisis shows on helpdesk pages, in the slots of helpdesk.hooks.

Each provider reads a fixed number of rows. The briefing notice: one query on a staff page while
an active incident has a briefing (the cached banner says so), none otherwise, nor for customers.
The workspace panel: none for an ordinary request (it shares the links the page's notice reads),
two for a linked one. The status page panel: one.
"""

from crisis import banner
from crisis.models import AuditEntry, Briefing, CompensationProposal
from crisis.notices import ticket_links
from helpdesk.hooks import Notice
from helpdesk.roles import is_agent, is_manager

# The last entries of a ticket's audit trail shown in the workspace; the rest is one click away.
AUDIT_ON_TICKET = 20


def unread_briefings(request) -> list[Notice]:
    """Every agent page shows each active incident's current briefing until the agent has read
    that version; a new version asks again."""
    user = getattr(request, "user", None)
    if user is None or not is_agent(user):
        return []
    if not any(incident.briefing_id for incident in banner.active_incidents()):
        return []  # the cached banner knows there is no briefing to read: no query
    return [
        Notice(
            "crisis/includes/briefing_notice.html", {"briefing": briefing, "next": request.get_full_path()}
        )
        for briefing in Briefing.objects.unread_by(user)
    ]


def workspace_compensation(request, ticket) -> list[Notice]:
    links = ticket_links(request, ticket.reference)
    # Compensation is proposed only for a request linked to the incident, and links are never
    # removed: a request with no link has no proposals and no panel, which spares the workspace of
    # every ordinary request the proposals' seven-table query.
    if not links:
        return []
    proposals = list(
        CompensationProposal.objects.filter(ticket=ticket)
        .select_related("incident", "proposed_by", "decided_by", "decider", "fulfilled_by", "reviewed_by")
        .order_by("-proposed_at", "-pk")
    )
    audit = list(
        AuditEntry.objects.filter(ticket=ticket)
        .select_related("actor")
        .order_by("-at", "-pk")[:AUDIT_ON_TICKET]
    )
    context = {
        "ticket": ticket,
        "links": links,
        "proposals": proposals,
        "audit": audit,
        "is_manager": is_manager(request.user),
        "user_pk": request.user.pk,
    }
    return [Notice("crisis/includes/ticket_compensation.html", context)]


def status_compensation(request, ticket) -> list[Notice]:
    proposals = list(
        CompensationProposal.objects.filter(ticket=ticket).open_for_customer().order_by("proposed_at", "pk")
    )
    if not proposals:
        return []
    return [Notice("crisis/includes/status_compensation.html", {"proposals": proposals})]
