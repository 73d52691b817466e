"""What the crisis banner says: the active incidents and their latest public statement (and,
for agent pages, whether each has a current briefing).

Read on every customer page during a surge of visitors, so it comes from the cache: one cache
read per page, one database query when the cache is cold. Publishing, declaring or changing an
incident's state forgets the cached value after the commit. With a per-process cache (the
default local memory) another process may show the previous statement for up to TTL seconds;
a shared cache (Redis, Memcached) makes the change visible everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, Subquery

from crisis.models import Briefing, Incident, IncidentUpdate
from helpdesk.languages import LANGUAGES, in_language, written_in

CACHE_KEY = "crisis:banner:v3"
TTL = 30


@dataclass(frozen=True)
class BannerIncident:
    pk: int
    state: str
    titles: dict[str, str]
    statements: dict[str, str]
    published_at: datetime | None
    # The incident's current briefing, if it has one: agent pages ask who has read it only then.
    briefing_id: int | None = None

    def title_in(self, language: str) -> str:
        return in_language(self.titles, language)

    @property
    def state_label(self) -> str:
        return Incident.State(self.state).label

    def statement_in(self, language: str) -> tuple[str, str | None]:
        """The statement in this language, else in the one it falls back to, with the code of
        the language it is written in; ("", None) while none is written."""
        code = written_in(self.statements, language)
        return (self.statements[code], code) if code else ("", None)


def load() -> list[BannerIncident]:
    """One query: each active incident with its latest published statement."""
    latest = IncidentUpdate.objects.published().filter(incident=OuterRef("pk"))
    rows = (
        Incident.objects.active()
        .order_by("-declared_at")
        .annotate(
            **{f"statement_{lang}": Subquery(latest.values(f"text_{lang}")[:1]) for lang in LANGUAGES},
            statement_at=Subquery(latest.values("published_at")[:1]),
            briefing_id=Subquery(Briefing.objects.current().filter(incident=OuterRef("pk")).values("pk")[:1]),
        )
        .values(
            "pk",
            "state",
            "title",
            "title_hu",
            "title_pl",
            "statement_en",
            "statement_hu",
            "statement_pl",
            "statement_at",
            "briefing_id",
        )
    )
    return [
        BannerIncident(
            pk=row["pk"],
            state=row["state"],
            titles={"en": row["title"], "hu": row["title_hu"], "pl": row["title_pl"]},
            statements={lang: row[f"statement_{lang}"] or "" for lang in LANGUAGES},
            published_at=row["statement_at"],
            briefing_id=row["briefing_id"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class BannerState:
    incidents: list[BannerIncident]
    # Whether any incident was ever declared: a helpdesk that never had one pays no query for the
    # incident box on its status pages.
    any_incident: bool


def state() -> BannerState:
    cached = cache.get(CACHE_KEY)
    if cached is None:
        incidents = load()
        cached = BannerState(incidents, bool(incidents) or Incident.objects.exists())
        cache.set(CACHE_KEY, cached, TTL)
    return cached


def active_incidents() -> list[BannerIncident]:
    return state().incidents


def forget() -> None:
    cache.delete(CACHE_KEY)


def forget_on_commit() -> None:
    """Forget now (this process reads the change within its transaction) and again after the
    commit, in case another request cached the old statement in between."""
    forget()
    transaction.on_commit(forget)
