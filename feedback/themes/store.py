"""The grouping's store in the database (feedback.themes.grouping.ThemeStore).

Every method is one or two indexed queries, whatever the number of complaints: frequencies
by primary key, candidates through the n-gram index (ThemeGram), a theme update by primary key.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from feedback.models import GramFrequency, Theme, ThemeGram
from feedback.themes.grouping import POSTINGS_PER_THEME, ThemeVector, heaviest

# The empty n-gram's row counts the complaints seen (the N of the inverse document frequency).
DOCUMENTS = ""


class DatabaseStore:
    def __init__(self, *, title: str, at=None):
        # What a theme this complaint starts is called, and when the complaint was made.
        self.title = title
        self.at = at or timezone.now()

    def frequencies(self, grams: Iterable[str]):
        rows = dict(
            GramFrequency.objects.filter(gram__in=[*grams, DOCUMENTS]).values_list("gram", "documents")
        )
        return rows.pop(DOCUMENTS, 0), rows

    def count_document(self, grams: Iterable[str]) -> None:
        table = connection.ops.quote_name(GramFrequency._meta.db_table)
        # One statement per n-gram, sent as a batch; the increment is done by the database so
        # two workers never lose a count.
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (gram, documents) VALUES (%s, 1) "  # noqa: S608 (our table name)
                f"ON CONFLICT (gram) DO UPDATE SET documents = {table}.documents + 1",
                [(gram,) for gram in [*set(grams), DOCUMENTS]],
            )

    def candidates(self, grams: list[str], limit: int) -> list[ThemeVector]:
        best = (
            ThemeGram.objects.filter(gram__in=grams)
            .values("theme")
            .annotate(hits=Count("pk"))
            .order_by("-hits", "theme")
            .values("theme")[:limit]
        )
        themes = Theme.objects.filter(pk__in=best).only("pk", "centroid", "category_id", "size")
        return [ThemeVector(theme.pk, theme.centroid, theme.category_id, theme.size) for theme in themes]

    def create_theme(self, centroid, category, postings) -> int:
        theme = Theme.objects.create(
            title=self.title[:200],
            category_id=category,
            centroid=centroid,
            size=1,
            created_at=self.at,
            last_complaint_at=self.at,
        )
        ThemeGram.objects.bulk_create(ThemeGram(theme=theme, gram=gram) for gram in postings)
        return theme.pk

    def update_theme(self, theme: ThemeVector, centroid, postings) -> None:
        Theme.objects.filter(pk=theme.id).update(
            centroid=centroid, size=F("size") + 1, last_complaint_at=self.at
        )
        listed = set(heaviest(theme.centroid, POSTINGS_PER_THEME))
        gone, new = listed - set(postings), set(postings) - listed
        if gone:
            ThemeGram.objects.filter(theme_id=theme.id, gram__in=gone).delete()
        if new:
            ThemeGram.objects.bulk_create(
                (ThemeGram(theme_id=theme.id, gram=gram) for gram in new), ignore_conflicts=True
            )
