"""Which new requests look like they are about an incident: computed in the database.

A request matches when it arrived in the incident's time window, is not linked yet, is still
open, and either is in one of the affected categories or mentions one of the keywords in its
subject or first message. Keywords compare without case and accents, in Hungarian, Polish and
English alike ("aramszunet" finds "Áramszünet", "zaplata" finds "zapłata"; see
helpdesk.text_folding).
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q

from crisis.models import Incident
from helpdesk.models import Ticket, TicketEntry
from helpdesk.text_folding import Fold, fold

SUGGESTION_LIMIT = 200


def keywords(incident: Incident) -> list[str]:
    return [fold(line.strip()) for line in incident.match_keywords.splitlines() if line.strip()]


def mentions(words: list[str]) -> Q:
    """The ticket's subject or its customer's first message contains one of the words."""
    if not words:
        return Q(pk__in=[])
    in_subject = Q()
    in_message = Q()
    for word in words:
        in_subject |= Q(folded_subject__contains=word)
        in_message |= Q(folded_body__contains=word)
    messages = (
        TicketEntry.objects.filter(ticket=OuterRef("pk"), kind=TicketEntry.Kind.MESSAGE)
        .alias(folded_body=Fold(F("body")))
        .filter(in_message)
    )
    return in_subject | Q(Exists(messages))


def suggestions(incident: Incident):
    """Open, unlinked requests of the time window in an affected category or with a keyword."""
    categories = list(incident.categories.values_list("pk", flat=True))
    words = keywords(incident)
    if not categories and not words:
        return Ticket.objects.none()
    window = Q(created_at__gte=incident.match_from or incident.started_at)
    if incident.match_until:
        window &= Q(created_at__lte=incident.match_until)
    matches = Q(category_id__in=categories) if categories else Q(pk__in=[])
    return (
        Ticket.objects.open()
        .filter(window)
        .exclude(incident_links__incident=incident)
        .filter(matches | mentions(words))
        .select_related("customer", "category")
        .order_by("-created_at", "-pk")
    )
