"""Why complaints are together: the words they share, and the complaints most like their theme.

Read from a bounded pool of each theme's members (those most similar to it when they joined),
in one query, so a theme page costs the same for ten complaints or ten thousand. A word counts
when the complaints of at least two customers use it: one customer's own words (their name, an
address) never explain a theme. Words are weighed by the theme's centroid, so "the", "my" or
"kérem" do not, and the words that say what went wrong do.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from feedback.models import ThemeMembership
from feedback.themes import grouping
from feedback.themes.complaints import TEXT_LIMIT
from helpdesk.models import TicketEntry

POOL = 20  # members read per theme
CENTRAL = 3  # examples shown
WORDS = 8  # shared words shown
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Example:
    membership: ThemeMembership
    text: str
    similarity: float


@dataclass
class Words:
    """Per folded word: which customers used it, and the form they wrote most."""

    customers: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    forms: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, text: str, customer: int) -> None:
        for surface in set(_WORD.findall(text.lower())):
            if len(surface) >= 3 and not surface.isdigit():
                key = grouping.fold(surface)
                self.customers[key].add(customer)
                self.forms[key][surface] += 1

    def form(self, key: str) -> str:
        return self.forms[key].most_common(1)[0][0]


@dataclass
class Explanation:
    words: list[tuple[str, int]]  # (word, customers who used it)
    central: list[Example]
    pool: int


def pool(theme_id: int, limit: int = POOL) -> list[tuple[ThemeMembership, str]]:
    """The members most similar to the theme when they joined, each with its text (one query)."""
    first_message = (
        TicketEntry.objects.filter(ticket=OuterRef("ticket"), kind=TicketEntry.Kind.MESSAGE)
        .order_by("created_at", "pk")
        .values("body")[:1]
    )
    memberships = (
        ThemeMembership.objects.filter(theme_id=theme_id)
        .select_related("ticket")
        .annotate(first_message=Subquery(first_message))
        .order_by("-similarity", "-pk")[:limit]
    )
    return [
        (membership, f"{membership.ticket.subject}\n{membership.first_message or ''}"[:TEXT_LIMIT])
        for membership in memberships
    ]


def word_weight(word: str, centroid: grouping.Vector) -> float:
    """How much of the theme's centroid a word carries: the mean weight of its n-grams."""
    grams = grouping.grams(word)
    return sum(centroid.get(gram, 0.0) for gram in grams) / len(grams) if grams else 0.0


def likeness(text: str, centroid: grouping.Vector, centroid_norm: float) -> float:
    """Cosine of the text's n-gram counts (sublinear) with the centroid. The centroid carries
    the inverse document frequencies already: no frequencies are read for the page."""
    counts = grouping.grams(text)
    vector = {gram: 1.0 + math.log(count) for gram, count in counts.items()}
    length = grouping.norm(vector)
    return (
        grouping.cosine({g: w / length for g, w in vector.items()}, centroid, centroid_norm)
        if length
        else 0.0
    )


def explain(theme) -> Explanation:
    members = pool(theme.pk)
    centroid_norm = grouping.norm(theme.centroid)
    words = Words()
    for membership, text in members:
        words.add(text, membership.customer_id)
    central = sorted(
        (
            Example(membership, text, likeness(text, theme.centroid, centroid_norm))
            for membership, text in members
        ),
        key=lambda example: (-example.similarity, -example.membership.pk),
    )
    scored = []
    for key, customers in words.customers.items():
        weight = word_weight(key, theme.centroid)
        if len(customers) >= 2 and weight > 0:
            scored.append((len(customers) * weight, key, len(customers)))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return Explanation(
        words=[(words.form(key), count) for _score, key, count in scored[:WORDS]],
        central=central[:CENTRAL],
        pool=len(members),
    )


def shared_words(a, b, limit: int = WORDS) -> list[str]:
    """The words both themes' complaints use, heaviest in both centroids first (the evidence of
    a merge proposal): used by at least two customers in all."""
    pools = [(theme, Words()) for theme in (a, b)]
    for theme, words in pools:
        for membership, text in pool(theme.pk):
            words.add(text, membership.customer_id)
    (first, first_words), (second, second_words) = pools
    scored = []
    for key in first_words.customers.keys() & second_words.customers.keys():
        customers = first_words.customers[key] | second_words.customers[key]
        weight = min(word_weight(key, first.centroid), word_weight(key, second.centroid))
        if len(customers) >= 2 and weight > 0:
            scored.append((len(customers) * weight, key))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [first_words.form(key) for _score, key in scored[:limit]]


def central_tickets(theme, limit: int = 2) -> list[int]:
    """The ticket ids of the complaints most like the theme (the evidence's examples)."""
    centroid_norm = grouping.norm(theme.centroid)
    ranked = sorted(
        pool(theme.pk),
        key=lambda item: (-likeness(item[1], theme.centroid, centroid_norm), -item[0].pk),
    )
    return [membership.ticket_id for membership, _text in ranked[:limit]]
