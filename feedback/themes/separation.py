"""A manager splits a theme (chosen complaints into a new theme) or moves complaints out of it
(into a new theme or into another one). The model does the change (Theme.hand_over); this
computes the complaints' vectors and holds the grouping's lock meanwhile, so no complaint
being grouped updates either centroid half-way."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery

from feedback.models import Theme, ThemeGram
from feedback.themes import embeddings, grouping
from feedback.themes.complaints import TEXT_LIMIT
from feedback.themes.consolidation import themes_locked
from feedback.themes.store import DatabaseStore
from helpdesk.models import Ticket, TicketEntry


def texts(ticket_ids) -> dict[int, str]:
    """The complaints' texts as the grouping read them (one query)."""
    first_message = (
        TicketEntry.objects.filter(ticket=OuterRef("pk"), kind=TicketEntry.Kind.MESSAGE)
        .order_by("created_at", "pk")
        .values("body")[:1]
    )
    return {
        pk: f"{subject}\n{body or ''}"[:TEXT_LIMIT]
        for pk, subject, body in Ticket.objects.filter(pk__in=ticket_ids)
        .annotate(first_message=Subquery(first_message))
        .values_list("pk", "subject", "first_message")
    }


def vectors(texts_by_ticket: dict[int, str]) -> dict[int, grouping.Vector]:
    """The complaints' vectors as the grouping weighs them now (one query)."""
    counts = {pk: grouping.grams(text) for pk, text in texts_by_ticket.items()}
    documents, frequencies = DatabaseStore(title="").frequencies(
        {gram for c in counts.values() for gram in c}
    )
    return {pk: grouping.weigh(c, max(documents, 1), frequencies) for pk, c in counts.items()}


def english_ones(ticket_ids) -> list[int]:
    """Which of these complaints are in English (one query)."""
    return list(
        Ticket.objects.filter(pk__in=ticket_ids, language=grouping.ENGLISH).values_list("pk", flat=True)
    )


def hand_over(
    theme: Theme, tickets: list[int], *, to: Theme | None, by, title: str = "", note: str = ""
) -> Theme:
    """Move the complaints out of `theme`: into `to`, or into a new theme. Returns where they went."""
    moving = texts(tickets)
    weighed = vectors(moving)
    embedding = english = None
    in_english = []
    if grouping.default_method() != grouping.NGRAMS and moving:
        embedding = embeddings.embed_many(list(moving.values())).mean(axis=0)
        if embeddings.english_available():
            found = (embeddings.embed_english(moving[pk]) for pk in english_ones(moving))
            in_english = [vector for vector in found if vector is not None]
            if in_english:
                english = sum(in_english) / len(in_english)
    with themes_locked():
        return theme.hand_over(
            tickets,
            to=to,
            by=by,
            vectors=weighed,
            embedding=embedding,
            english=english,
            english_size=len(in_english),
            title=title,
            note=note,
        )


def nearby_themes(theme: Theme, limit: int = 10) -> list[Theme]:
    """Where a complaint can be moved: the themes sharing most of this one's heaviest n-grams
    (one query, through the n-gram index)."""
    best = (
        ThemeGram.objects.filter(gram__in=grouping.heaviest(theme.centroid, 30))
        .exclude(theme=theme)
        .values("theme")
        .annotate(hits=Count("pk"))
        .order_by("-hits", "theme")
        .values("theme")[:limit]
    )
    return list(Theme.objects.active().filter(pk__in=best).only("pk", "title").order_by("title", "pk"))
