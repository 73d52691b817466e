"""Grouping complaints into themes: text to vector, and one complaint at a time to a theme.

Pure Python, no Django: the worker runs it against the database (feedback.themes.store), the
quality evaluation against memory (devtools.theme_eval), with the same scoring code.

The method, and why (see also README "Recurring complaints"):
- Text is folded to lower case without accents ("számlámat" and "szamlamat" are one word to
  us, and so are Polish "ł" and "l"), then cut into character n-grams of 3 to 5 letters inside
  word boundaries (" fak", "fakt", "aktu", "ktur", ...). Hungarian and Polish change the end of
  a word ("számla", "számlámat", "számlázási"; "faktura", "fakturze", "fakturą"); the stem's
  n-grams stay shared, so inflected forms match without a stemmer per language, and typos
  cost a few n-grams instead of the whole word.
- Each n-gram is weighted by TF-IDF (sublinear term frequency, smoothed inverse document
  frequency over every complaint seen so far), so "the", "my", "a" weigh little and the words
  that say what went wrong weigh much. Vectors are L2-normalised: short texts compare fairly
  with long ones.
- A theme is the sum of its members' vectors (its centroid), truncated to its heaviest
  n-grams. A new complaint joins the theme with the highest cosine similarity to its centroid
  (plus a small bonus when the categories agree) if that reaches the threshold; otherwise it
  starts a theme of its own. Incremental: nothing is re-clustered when a complaint arrives.
- Candidates come from an inverted index: each theme is listed under its heaviest n-grams, and
  a complaint is compared only with the themes that share some of its heaviest n-grams, never
  with every theme or every complaint, so the cost per complaint stays flat as themes grow.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

GRAM_SIZES = (3, 4, 5)
# Tuned on the BANKING77 train split (make eval-themes); see README for the figures.
DEFAULT_THRESHOLD = 0.30
CATEGORY_BONUS = 0.10
CENTROID_SIZE = 300  # n-grams kept per theme centroid
POSTINGS_PER_THEME = 100  # n-grams under which a theme is listed in the inverted index
CANDIDATES = 40  # themes scored per complaint
# N-grams found in more than this share of all complaints ("the", " my ") find no theme worth
# comparing and have the longest lists: they are not looked up once enough complaints are seen.
COMMON_SHARE = 0.05
COMMON_AFTER = 200

# Letters that Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans({"ł": "l", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i"})
_WORD = re.compile(r"[^\W_]+")

Vector = dict[str, float]


def fold(text: str) -> str:
    """Lower case without accents: typed with or without them, a word is the same word."""
    text = text.lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a text that carry meaning: folded, at least one letter (no bare numbers)."""
    return [word for word in _WORD.findall(fold(text)) if not word.isdigit()]


def grams(text: str) -> Counter[str]:
    """Character n-grams inside word boundaries, each word padded with a space on both sides."""
    counts: Counter[str] = Counter()
    for word in words(text):
        padded = f" {word} "
        if len(padded) < GRAM_SIZES[0]:
            counts[padded] += 1
            continue
        for size in GRAM_SIZES:
            for start in range(len(padded) - size + 1):
                counts[padded[start : start + size]] += 1
    return counts


def idf(documents: int, frequency: int) -> float:
    """Smoothed inverse document frequency (as scikit-learn's TfidfTransformer computes it)."""
    return math.log((1 + documents) / (1 + frequency)) + 1.0


def weigh(counts: Counter[str], documents: int, frequencies: dict[str, int]) -> Vector:
    """TF-IDF with sublinear term frequency, L2-normalised."""
    vector = {
        gram: (1.0 + math.log(count)) * idf(documents, frequencies.get(gram, 0))
        for gram, count in counts.items()
    }
    norm = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {gram: weight / norm for gram, weight in vector.items()} if norm else {}


def is_common(frequency: int, documents: int) -> bool:
    return documents >= COMMON_AFTER and frequency > COMMON_SHARE * documents


def heaviest(vector: Vector, limit: int) -> list[str]:
    return [gram for gram, _weight in sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:limit]]


def cosine(vector: Vector, centroid: Vector, centroid_norm: float) -> float:
    """Cosine of a normalised vector with a centroid of the given norm."""
    if not centroid_norm:
        return 0.0
    if len(centroid) < len(vector):
        dot = sum(weight * vector.get(gram, 0.0) for gram, weight in centroid.items())
    else:
        dot = sum(weight * centroid.get(gram, 0.0) for gram, weight in vector.items())
    return dot / centroid_norm


def norm(vector: Vector) -> float:
    return math.sqrt(sum(weight * weight for weight in vector.values()))


def add_to_centroid(centroid: Vector, vector: Vector) -> Vector:
    """The theme's summed vector with one more member, truncated to its heaviest n-grams."""
    summed = dict(centroid)
    for gram, weight in vector.items():
        summed[gram] = summed.get(gram, 0.0) + weight
    if len(summed) > CENTROID_SIZE:
        summed = {gram: summed[gram] for gram in heaviest(summed, CENTROID_SIZE)}
    # Rounded: the centroid is stored as JSON; six digits change no decision.
    return {gram: round(weight, 6) for gram, weight in summed.items()}


@dataclass
class ThemeVector:
    id: int
    centroid: Vector
    category: int | None = None
    size: int = 0
    centroid_norm: float = field(init=False)

    def __post_init__(self):
        self.centroid_norm = norm(self.centroid)


@dataclass(frozen=True)
class Assignment:
    theme_id: int
    created: bool
    similarity: float


class ThemeStore(Protocol):
    """Where themes, the inverted index and the document frequencies live."""

    def frequencies(self, grams: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many complaints were counted, and in how many of them each n-gram occurs."""

    def count_document(self, grams: Iterable[str]) -> None: ...

    def candidates(self, grams: list[str], limit: int) -> list[ThemeVector]:
        """Themes listed under any of these n-grams, those sharing most of them first."""

    def create_theme(self, centroid: Vector, category: int | None, postings: list[str]) -> int: ...

    def update_theme(self, theme: ThemeVector, centroid: Vector, postings: list[str]) -> None: ...


def best_match(
    vector: Vector, category: int | None, candidates: list[ThemeVector]
) -> tuple[ThemeVector | None, float]:
    best, best_score = None, 0.0
    for theme in candidates:
        score = cosine(vector, theme.centroid, theme.centroid_norm)
        if category is not None and theme.category == category:
            score += CATEGORY_BONUS
        if score > best_score:
            best, best_score = theme, score
    return best, best_score


def assign(
    store: ThemeStore, text: str, category: int | None = None, *, threshold: float = DEFAULT_THRESHOLD
) -> Assignment:
    """Put one complaint in the most similar theme above the threshold, or in a new theme."""
    counts = grams(text)
    store.count_document(counts)
    documents, frequencies = store.frequencies(counts)
    vector = weigh(counts, documents, frequencies)
    lookup = [gram for gram in vector if not is_common(frequencies.get(gram, 0), documents)]
    theme, score = best_match(vector, category, store.candidates(lookup, CANDIDATES) if lookup else [])
    if theme is not None and score >= threshold:
        centroid = add_to_centroid(theme.centroid, vector)
        store.update_theme(theme, centroid, heaviest(centroid, POSTINGS_PER_THEME))
        return Assignment(theme.id, created=False, similarity=score)
    centroid = add_to_centroid({}, vector)
    theme_id = store.create_theme(centroid, category, heaviest(centroid, POSTINGS_PER_THEME))
    return Assignment(theme_id, created=True, similarity=score)


class MemoryStore:
    """The store in memory: for the quality evaluation and for reasoning about the method."""

    def __init__(self):
        self.documents = 0
        self.document_frequency: Counter[str] = Counter()
        self.themes: dict[int, ThemeVector] = {}
        self.postings: dict[str, set[int]] = {}
        self._listed: dict[int, list[str]] = {}

    def frequencies(self, grams):
        return self.documents, {gram: self.document_frequency[gram] for gram in grams}

    def count_document(self, grams):
        self.documents += 1
        self.document_frequency.update(set(grams))

    def candidates(self, grams, limit):
        hits: Counter[int] = Counter()
        for gram in grams:
            hits.update(self.postings.get(gram, ()))
        return [self.themes[theme_id] for theme_id, _count in hits.most_common(limit)]

    def create_theme(self, centroid, category, postings):
        theme_id = len(self.themes) + 1
        self.themes[theme_id] = ThemeVector(theme_id, centroid, category, size=1)
        self._list(theme_id, postings)
        return theme_id

    def update_theme(self, theme, centroid, postings):
        self.themes[theme.id] = ThemeVector(theme.id, centroid, theme.category, size=theme.size + 1)
        self._list(theme.id, postings)

    def _list(self, theme_id, postings):
        for gram in self._listed.get(theme_id, ()):
            self.postings[gram].discard(theme_id)
        for gram in postings:
            self.postings.setdefault(gram, set()).add(theme_id)
        self._listed[theme_id] = postings


# merge_candidates/combine: interim
MERGE_THRESHOLD = 0.5


def merge_candidates(
    themes: list[ThemeVector], *, threshold: float = MERGE_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Pairs of themes whose centroids became alike: (kept, absorbed, similarity), the larger
    kept, each theme in at most one pair, the most similar pairs first."""
    postings: dict[str, list[ThemeVector]] = {}
    for theme in themes:
        for gram in heaviest(theme.centroid, 20):
            postings.setdefault(gram, []).append(theme)
    scored = {}
    for listed in postings.values():
        if len(listed) > 50:  # an n-gram of many themes says little and costs the most
            continue
        for i, a in enumerate(listed):
            for b in listed[i + 1 :]:
                key = (min(a.id, b.id), max(a.id, b.id))
                if key not in scored and a.centroid_norm and b.centroid_norm:
                    dot = sum(weight * b.centroid.get(gram, 0.0) for gram, weight in a.centroid.items())
                    scored[key] = (dot / (a.centroid_norm * b.centroid_norm), a, b)
    pairs, used = [], set()
    for similarity, a, b in sorted(scored.values(), key=lambda item: (-item[0], item[1].id, item[2].id)):
        if similarity >= threshold and a.id not in used and b.id not in used:
            kept, absorbed = (a, b) if (a.size, -a.id) >= (b.size, -b.id) else (b, a)
            pairs.append((kept.id, absorbed.id, similarity))
            used.update((a.id, b.id))
    return pairs


def combine(a: ThemeVector, b: ThemeVector) -> Vector:
    """The centroid of two themes made one: their summed vectors, truncated."""
    return add_to_centroid(a.centroid, b.centroid)
