"""What the crisis app shows on the helpdesk's pages, in the slots of helpdesk.hooks.

Customer pages: the banner of each active incident, from the cache (no query when warm); the
status page of a linked request also lists that incident's published updates. Staff pages: a
line per active incident, and on a ticket's workspace its incidents and one-click linking.
"""

from django.utils.translation import gettext

from crisis import banner
from crisis.models import IncidentTicket, IncidentUpdate
from helpdesk.hooks import Notice
from helpdesk.roles import is_agent

# Our own pages the banner leads to: they show the incident in full, not its banner.
CUSTOMER_CRISIS_PAGES = ("crisis:report", "crisis:subscribe")


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def translation_notice(shown_in: str) -> str:
    """What the reader is told about a statement shown in another language: only ever beside it."""
    if not shown_in:
        return ""
    if shown_in == "en":
        return gettext("This update is not yet available in your language; here it is in English.")
    return gettext("This update is not yet available in your language; here it is as it was written.")


def _banner_items(incidents, language: str) -> list[dict]:
    items = []
    for incident in incidents:
        statement, written_in = incident.statement_in(language)
        other_language = written_in if written_in and written_in != language[:2] else ""
        items.append(
            {
                "pk": incident.pk,
                "title": incident.title_in(language),
                "statement": statement,
                "statement_language": other_language,
                "translation_notice": translation_notice(other_language),
                "published_at": incident.published_at,
                "state": incident.state,
            }
        )
    return items


def customer_notices(request) -> list[Notice]:
    language = getattr(request, "LANGUAGE_CODE", "en")
    notices = []
    incidents = banner.active_incidents()
    if incidents and _view_name(request) not in CUSTOMER_CRISIS_PAGES:
        notices.append(
            Notice("crisis/notices/banner.html", {"incidents": _banner_items(incidents, language)})
        )
    return notices


def lobby_notices(request) -> list[Notice]:
    """A branch's lobby screen: what we know and say, large, in the language the screen shows;
    no link or form (nobody clicks a screen across the room)."""
    incidents = banner.active_incidents()
    if not incidents:
        return []
    language = getattr(request, "LANGUAGE_CODE", "en")
    return [Notice("crisis/notices/lobby.html", {"incidents": _banner_items(incidents, language)})]


def status_page_notices(request, ticket) -> list[Notice]:
    """A linked request's status page: the incident and every published update, newest first."""
    if not banner.state().any_incident:
        return []
    language = getattr(request, "LANGUAGE_CODE", "en")
    links = list(IncidentTicket.objects.filter(ticket=ticket).select_related("incident"))
    if not links:
        return []
    updates = IncidentUpdate.objects.published().filter(incident__in=[link.incident_id for link in links])
    by_incident = {}
    for update in updates:
        by_incident.setdefault(update.incident_id, []).append(
            {"text": update.text_in(language), "published_at": update.published_at, "final": update.is_final}
        )
    items = [
        {
            "title": link.incident.title_in(language),
            "is_active": link.incident.is_active,
            "updates": by_incident.get(link.incident_id, []),
        }
        for link in links
    ]
    return [Notice("crisis/notices/status.html", {"incidents": items})]


def staff_notices(request) -> list[Notice]:
    if not is_agent(request.user):
        return []
    incidents = banner.active_incidents()
    return [Notice("crisis/notices/staff.html", {"incidents": incidents})] if incidents else []


def ticket_notices(request, ticket) -> list[Notice]:
    """The workspace of a ticket: the incidents it is linked to, and the active ones to link."""
    links = ticket_links(request, ticket.reference)
    linked = {link.incident_id for link in links}
    context = {
        "reference": ticket.reference,
        "links": links,
        "linkable": [incident for incident in banner.active_incidents() if incident.pk not in linked],
        "next": request.get_full_path(),
    }
    return [Notice("crisis/notices/ticket.html", context)] if links or context["linkable"] else []


def ticket_links(request, reference: str) -> list[IncidentTicket]:
    """The incidents a request is linked to, read once per page: the workspace shows them twice
    (this notice and the compensation panel)."""
    read = request.__dict__.setdefault("_crisis_ticket_links", {})
    if reference not in read:
        read[reference] = list(
            IncidentTicket.objects.filter(ticket__reference=reference)
            .select_related("incident")
            .order_by("linked_at", "pk")
        )
    return read[reference]
