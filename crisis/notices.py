"""What the crisis app shows on other apps' pages, through helpdesk.notices.

Customer pages: the banner of each active incident, from the cache (no query when warm); the
status page of a linked request also lists that incident's published updates. Staff pages: a
line per active incident, and on a ticket's workspace its incidents and one-click linking.
"""

from django.urls import reverse

from crisis import banner
from crisis.models import IncidentTicket, IncidentUpdate
from helpdesk.notices import Notice
from helpdesk.references import hash_token
from helpdesk.roles import is_agent

STAFF_PREFIXES = ("/agent/", "/manage/", "/crisis/incidents/", "/crisis/updates/")
CUSTOMER_CRISIS_PAGES = ("crisis:report", "crisis:subscribe")


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def is_staff_page(request) -> bool:
    return request.path.startswith(STAFF_PREFIXES) or request.path == reverse("crisis:incident-list")


def crisis_notices(request) -> list[Notice]:
    if is_staff_page(request):
        return staff_notices(request) if is_agent(request.user) else []
    if request.path.startswith("/admin/"):
        return []
    return customer_notices(request)


def customer_notices(request) -> list[Notice]:
    language = getattr(request, "LANGUAGE_CODE", "en")
    view_name = _view_name(request)
    notices = []
    incidents = banner.active_incidents()
    if incidents and view_name not in CUSTOMER_CRISIS_PAGES:
        items = []
        for incident in incidents:
            statement, fallback = incident.statement_in(language)
            items.append(
                {
                    "pk": incident.pk,
                    "title": incident.title_in(language),
                    "statement": statement,
                    "fallback": fallback,
                    "published_at": incident.published_at,
                    "state": incident.state,
                }
            )
        notices.append(Notice("crisis/notices/banner.html", {"incidents": items}))
    if view_name == "helpdesk:status" and banner.state().any_incident:
        notices.extend(status_page_notices(request.resolver_match.kwargs["token"], language))
    return notices


def status_page_notices(token: str, language: str) -> list[Notice]:
    """A linked request's status page: the incident and every published update, newest first."""
    links = list(
        IncidentTicket.objects.filter(ticket__status_links__token_hash=hash_token(token)).select_related(
            "incident"
        )
    )
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
    incidents = banner.active_incidents()
    notices = [Notice("crisis/notices/staff.html", {"incidents": incidents})] if incidents else []
    if _view_name(request) == "helpdesk:ticket-detail":
        reference = request.resolver_match.kwargs["reference"]
        links = ticket_links(request, reference)
        linked = {link.incident_id for link in links}
        context = {
            "reference": reference,
            "links": links,
            "linkable": [incident for incident in incidents if incident.pk not in linked],
            "next": request.get_full_path(),
        }
        if links or context["linkable"]:
            notices.append(Notice("crisis/notices/ticket.html", context))
    return notices


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
