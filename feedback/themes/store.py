"""The grouping's store in the database (feedback.themes.grouping.ThemeStore).

Every method is one or two indexed queries, whatever the number of complaints: frequencies
by primary key, candidates through the n-gram index (ThemeGram), a theme update by primary key.

With embeddings, the nearest themes cannot come from an index in the database: each complaint
is compared with every theme's embedding. The worker process keeps them all in memory
(`EmbeddingIndex`, 1.5 KB a theme) and before each complaint reads only the themes changed
since it last looked: the database numbers every change of a theme row (`Theme.revision`, a
trigger), so this is one indexed query returning a row or two. A merged-away theme is noticed
when the count of themes differs, and everything is read again. The closest few are then read
fresh by primary key and scored: a theme changed by another process a moment ago is scored as
it is now.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from feedback.models import GramFrequency, Theme, ThemeGram
from feedback.themes.grouping import (
    CENTRE_PRIOR,
    POSTINGS_PER_THEME,
    ThemeVector,
    english_prior_centre,
    heaviest,
    language_centres,
    prior_centre,
)

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
        return theme_vectors(Theme.objects.filter(pk__in=best))

    def centre(self):
        return INDEX.refresh().centre()

    def english_centre(self):
        return INDEX.english_centre()

    def nearest(self, embedding, limit: int, language: str = "", english=None) -> list[ThemeVector]:
        ids = INDEX.nearest(embedding, limit, language)
        if english is not None:
            ids += [pk for pk in INDEX.nearest_english(english, limit) if pk not in ids]
        themes = {theme.id: theme for theme in theme_vectors(Theme.objects.filter(pk__in=ids))}
        INDEX.forget([theme_id for theme_id in ids if theme_id not in themes])
        return [themes[theme_id] for theme_id in ids if theme_id in themes]

    def create_theme(self, centroid, category, postings, embedding=None, language="", english=None) -> int:
        theme = Theme.objects.create(
            title=self.title[:200],
            category_id=category,
            centroid=centroid,
            embedding=to_bytes(embedding),
            english_embedding=to_bytes(english),
            english_size=0 if english is None else 1,
            language=language,
            size=1,
            created_at=self.at,
            last_complaint_at=self.at,
        )
        ThemeGram.objects.bulk_create(ThemeGram(theme=theme, gram=gram) for gram in postings)
        return theme.pk

    def update_theme(
        self, theme: ThemeVector, centroid, postings, embedding=None, english=None, english_size=0
    ) -> None:
        changes = {"centroid": centroid, "size": F("size") + 1, "last_complaint_at": self.at}
        if embedding is not None:
            changes["embedding"] = to_bytes(embedding)
        if english is not None:
            changes["english_embedding"], changes["english_size"] = to_bytes(english), english_size
        Theme.objects.filter(pk=theme.id).update(**changes)
        listed = set(heaviest(theme.centroid, POSTINGS_PER_THEME))
        gone, new = listed - set(postings), set(postings) - listed
        if gone:
            ThemeGram.objects.filter(theme_id=theme.id, gram__in=gone).delete()
        if new:
            ThemeGram.objects.bulk_create(
                (ThemeGram(theme_id=theme.id, gram=gram) for gram in new), ignore_conflicts=True
            )


def to_bytes(embedding) -> bytes | None:
    import numpy as np

    return None if embedding is None else np.asarray(embedding, dtype=np.float32).tobytes()


def from_bytes(data):
    import numpy as np

    return None if data is None else np.frombuffer(bytes(data), dtype=np.float32).copy()


def theme_vectors(themes) -> list[ThemeVector]:
    rows = themes.values_list(
        "pk", "centroid", "category_id", "size", "embedding", "language", "english_embedding", "english_size"
    )
    return [
        ThemeVector(
            pk,
            centroid,
            category,
            size,
            embedding=from_bytes(embedding),
            language=language,
            english=from_bytes(english),
            english_size=english_size,
        )
        for pk, centroid, category, size, embedding, language, english, english_size in rows
    ]


class EmbeddingIndex:
    """Every theme's embedding and size in this process's memory, kept up to date by revision.

    With 100,000 complaints behind it the matrix holds tens of thousands of rows, and a pass over
    it costs several milliseconds: what every complaint needs besides one product with the
    matrix (the centre, each row's length) is kept up to date as rows change instead.

    Across languages (a complaint in Hungarian, themes in Polish or English) the themes are
    also ranked by the cosine of their language-centred means (grouping.language_centred), from
    the same product with the matrix: with e the complaint, l its language's centre, c the
    centre of a row's language and m the row, (m - c)·(e - l) = m·e - m·l - c·(e - l), where m·e
    follows from the product already made, and m·l (for each language) and |m - c| are kept
    by _put. A third column in the product would cost more than all of these (measured).
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.database = None
        self.revision = 0
        self.position: dict[int, int] = {}
        self.ids: list[int] = []
        self.matrix = None  # (capacity, 384) float32: the theme means, row by position
        self.sizes = None
        self.squared = None  # each row's squared length
        self.total = None  # float64: the sum of the rows times their sizes (the centre's numerator)
        self.codes: list[str] = []  # the languages with a centre
        self.languages = None  # each row's language, as its position in `codes` (-1: none known)
        self.across_length = None  # each row's length once its language's centre is taken away
        self.with_centres = None  # each row's dot product with each language's centre
        self.english: EnglishRows | None = None  # the English members' means, row by row

    def refresh(self) -> EmbeddingIndex:
        database = (connection.alias, connection.settings_dict["NAME"])
        with self.lock:
            if connection.vendor != "postgresql" or database != self.database:
                self._reload(database)
                return self
            changed = list(Theme.objects.filter(revision__gt=self.revision).values_list(*INDEXED))
            for pk, embedding, size, language, english, english_size, revision in changed:
                self._put(pk, from_bytes(embedding), size, language, from_bytes(english), english_size)
                self.revision = max(self.revision, revision)
            if changed and Theme.objects.count() != len(self.position):
                self._reload(database)  # a theme was merged away or deleted
            return self

    def _reload(self, database):
        import numpy as np

        self.database, self.revision = database, 0
        self.position, self.ids = {}, []
        self.matrix = np.zeros((1024, grouping_dimensions()), dtype=np.float32)
        self.sizes = np.zeros(1024, dtype=np.float64)
        self.squared = np.zeros(1024, dtype=np.float32)
        self.total = np.zeros(grouping_dimensions(), dtype=np.float64)
        self.codes = list(language_centres())
        self.languages = np.full(1024, -1, dtype=np.int8)
        self.across_length = np.ones(1024, dtype=np.float32)
        self.with_centres = np.zeros((1024, len(self.codes)), dtype=np.float32)
        self.english = EnglishRows()
        for pk, embedding, size, language, english, english_size, revision in Theme.objects.values_list(
            *INDEXED
        ).iterator(chunk_size=2000):
            self._put(pk, from_bytes(embedding), size, language, from_bytes(english), english_size)
            self.revision = max(self.revision, revision)

    def _put(self, pk, embedding, size, language="", english=None, english_size=0):
        import numpy as np

        if pk not in self.position:
            if len(self.ids) == len(self.sizes):
                self.english.grow()
                self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
                self.sizes = np.concatenate([self.sizes, np.zeros_like(self.sizes)])
                self.squared = np.concatenate([self.squared, np.zeros_like(self.squared)])
                self.languages = np.concatenate([self.languages, np.full_like(self.languages, -1)])
                self.across_length = np.concatenate([self.across_length, np.ones_like(self.across_length)])
                self.with_centres = np.vstack([self.with_centres, np.zeros_like(self.with_centres)])
            self.position[pk] = len(self.ids)
            self.ids.append(pk)
        row = self.position[pk]
        self.english.put(row, english if embedding is not None else None, english_size)
        self.total -= self.sizes[row] * self.matrix[row]
        if embedding is None:  # grouped by n-grams only: never a nearest theme
            self.matrix[row], self.sizes[row], self.squared[row] = 0.0, 0.0, 0.0
            self.languages[row], self.across_length[row], self.with_centres[row] = -1, 1.0, 0.0
        else:
            self.matrix[row], self.sizes[row] = embedding, size
            self.squared[row] = float(self.matrix[row] @ self.matrix[row])
            self.total += size * self.matrix[row]
            code = self.codes.index(language) if language in self.codes else -1
            self.languages[row], self.across_length[row] = code, 1.0
            centres = language_centres()
            self.with_centres[row] = [float(self.matrix[row] @ centres[other]) for other in self.codes]
            if code >= 0:
                length = float(np.linalg.norm(self.matrix[row] - centres[language]))
                self.across_length[row] = length or 1.0

    def forget(self, ids):
        with self.lock:
            for pk in ids:
                if pk in self.position:
                    self._put(pk, None, 0)

    def english_centre(self):
        return self.english.centre()

    def nearest_english(self, english, limit: int) -> list[int]:
        """The ids of the `limit` themes whose English members are closest to this English-model
        embedding (cosine after centring), closest first."""
        return [self.ids[index] for index in self.english.nearest(english, limit, len(self.ids))]

    def centre(self):
        count = len(self.ids)
        total = self.total + prior_centre() * CENTRE_PRIOR
        return (total / (self.sizes[:count].sum() + CENTRE_PRIOR)).astype("float32")

    def nearest(self, embedding, limit: int, language: str = "") -> list[int]:
        """The ids of the `limit` themes closest to the embedding, by cosine after centring; with
        a language, then the `limit` closest of other languages by language-centred cosine."""
        import numpy as np

        count = len(self.ids)  # refreshed by centre(), which the grouping asks for first
        if not count:
            return []
        similarities, with_embedding = centred_cosines(
            self.matrix[:count], self.squared[:count], self.centre(), embedding
        )
        similarities[self.sizes[:count] == 0] = -2.0
        found = best(similarities, limit)
        codes = self.languages[:count]
        own = self.codes.index(language) if language in self.codes else -1
        if own >= 0 and bool(((codes >= 0) & (codes != own)).any()):
            centres = [language_centres()[code] for code in self.codes]
            shifted = embedding - centres[own]
            length = float(np.linalg.norm(shifted)) or 1.0
            # (m - c)·(e - l) = m·e - m·l - c·(e - l), with m·e from the product already made.
            offsets = np.asarray([float(other @ shifted) for other in centres], dtype=np.float32)
            others = (with_embedding - self.with_centres[:count, own] - offsets[codes]) / (
                length * self.across_length[:count]
            )
            others[(codes < 0) | (codes == own) | (self.sizes[:count] == 0)] = -2.0
            found += [index for index in best(others, limit) if index not in found]
        return [self.ids[index] for index in found]


class EnglishRows:
    """The themes' English-model means, row by row as in EmbeddingIndex, with what a complaint
    needs besides one product with them (their centre, each row's squared length) kept up to
    date as rows change."""

    def __init__(self, capacity: int = 1024):
        import numpy as np

        from feedback.themes.english_model import DIMENSIONS

        self.matrix = np.zeros((capacity, DIMENSIONS), dtype=np.float32)
        self.sizes = np.zeros(capacity, dtype=np.float64)
        self.squared = np.zeros(capacity, dtype=np.float32)
        self.total = np.zeros(DIMENSIONS, dtype=np.float64)

    def grow(self):
        import numpy as np

        self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
        self.sizes = np.concatenate([self.sizes, np.zeros_like(self.sizes)])
        self.squared = np.concatenate([self.squared, np.zeros_like(self.squared)])

    def put(self, row: int, english, size: int):
        self.total -= self.sizes[row] * self.matrix[row]
        if english is None or not size:
            self.matrix[row], self.sizes[row], self.squared[row] = 0.0, 0.0, 0.0
            return
        self.matrix[row], self.sizes[row] = english, size
        self.squared[row] = float(self.matrix[row] @ self.matrix[row])
        self.total += size * self.matrix[row]

    def centre(self):
        total = self.total + english_prior_centre() * CENTRE_PRIOR
        return (total / (self.sizes.sum() + CENTRE_PRIOR)).astype("float32")

    def nearest(self, english, limit: int, count: int) -> list[int]:
        sizes = self.sizes[:count]
        if not count or not sizes.any():
            return []
        similarities, _with_english = centred_cosines(
            self.matrix[:count], self.squared[:count], self.centre(), english
        )
        similarities[sizes == 0] = -2.0
        return best(similarities, limit)


def centred_cosines(means, squared, centre, embedding):
    """Each row's cosine with the embedding once both have the centre taken away, and each row's
    dot product with the embedding itself (m·e), from one pass over the rows: (m - c)·q and
    |m - c|² = |m|² - 2 m·c + |c|² without building the centred matrix, the rows' squared lengths
    kept as they change."""
    import numpy as np

    query = embedding - centre
    query_length = float(np.linalg.norm(query)) or 1.0
    query = query / query_length
    with_query, with_centre = (means @ np.stack([query, centre], axis=1)).T
    lengths = squared - 2 * with_centre + float(centre @ centre)
    similarities = (with_query - float(centre @ query)) / np.sqrt(np.maximum(lengths, 1e-12))
    # m·q = (m·e - m·c) / |e - c|
    return similarities, with_query * query_length + with_centre


def best(similarities, limit: int) -> list[int]:
    """The positions of the `limit` highest similarities, highest first (none at -2)."""
    import numpy as np

    limit = min(limit, len(similarities))
    top = np.argpartition(-similarities, limit - 1)[:limit]
    top = top[np.argsort(-similarities[top])]
    return [int(index) for index in top if similarities[index] > -2.0]


def grouping_dimensions() -> int:
    from feedback.themes.embeddings import DIMENSIONS

    return DIMENSIONS


# What the index reads of each theme.
INDEXED = ("pk", "embedding", "size", "language", "english_embedding", "english_size", "revision")

# One per worker process (the worker groups one complaint at a time; the lock is for threads).
INDEX = EmbeddingIndex()
