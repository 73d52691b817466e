"""How well the grouping finds themes: purity and adjusted Rand index against labelled data.

Used by `make eval-themes` (devtools/management/commands/eval_themes.py) on BANKING77, and by
the tests. Pure Python; the scores follow their textbook definitions.
"""

from __future__ import annotations

import csv
import json
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from math import comb
from pathlib import Path

from feedback.themes import grouping

# Texts arrive in a random (fixed) order: the corpus files are sorted by label, which would
# make incremental grouping look better than it is.
SHUFFLE_SEED = 77


def purity(labels: Sequence[str], themes: Sequence[int]) -> float:
    """Share of texts whose theme's most common label is their own label."""
    by_theme: dict[int, Counter[str]] = {}
    for label, theme in zip(labels, themes, strict=True):
        by_theme.setdefault(theme, Counter())[label] += 1
    return sum(counts.most_common(1)[0][1] for counts in by_theme.values()) / len(labels)


def adjusted_rand_index(labels: Sequence[str], themes: Sequence[int]) -> float:
    """Hubert and Arabie's ARI: 1 for identical partitions, about 0 for a random one."""
    pairs = Counter(zip(labels, themes, strict=True))
    total = comb(len(labels), 2)
    together = sum(comb(count, 2) for count in pairs.values())
    same_label = sum(comb(count, 2) for count in Counter(labels).values())
    same_theme = sum(comb(count, 2) for count in Counter(themes).values())
    expected = same_label * same_theme / total if total else 0.0
    best = (same_label + same_theme) / 2
    if best == expected:
        return 1.0
    return (together - expected) / (best - expected)


@dataclass(frozen=True)
class Result:
    texts: int
    themes: int
    purity: float
    ari: float
    seconds: float
    threshold: float
    method: str = grouping.NGRAMS
    escalations: int = 0
    merges: int = 0


# The escalation rule's defaults (feedback.models.RecurringComplaintRule): 5 complaints from 3
# customers within 7 days. A corpus has no customers or times: each text counts as a customer of
# its own and the whole split as within the window, so a theme is escalated at its 5th complaint.
ESCALATE_AT = 5
CONSOLIDATE_EVERY = 200


def load(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(row["text"], row["category"]) for row in csv.DictReader(handle)]
    random.Random(SHUFFLE_SEED).shuffle(rows)  # noqa: S311 (a fixed order, not a secret)
    return rows


PROGRESS_EVERY = 1024  # texts between two calls of an embedding's `progress`


def embed_all(texts: Sequence[str], batch: int = 64, progress=None):
    """Every text's embedding, once (each threshold tried reuses them). `progress(done, total)`,
    when given, is called every PROGRESS_EVERY texts: a corpus takes minutes."""
    import numpy as np

    from feedback.themes import embeddings

    def embed(start):
        return embeddings.embed_many(list(texts[start : start + batch]))

    return np.vstack(in_steps(embed, len(texts), batch, progress))


def embed_all_english(texts: Sequence[str], progress=None):
    """Every text's English-model embedding, once; None when the English model is not in use."""
    import numpy as np

    from feedback.themes import embeddings

    if not embeddings.english_available():
        return None
    return np.vstack(
        in_steps(lambda start: [embeddings.embed_english(texts[start])], len(texts), 1, progress)
    )


def in_steps(embed, total: int, step: int, progress):
    """embed(start) for each step's start, telling `progress` as it goes."""
    done = []
    for start in range(0, total, step):
        done.extend(embed(start))
        if progress and (len(done) % PROGRESS_EVERY < step or len(done) == total):
            progress(len(done), total)
    return done


# Everyday complaints written alike in English, Hungarian and Polish (none from the evaluation
# sets): their mean per language is the centre each language is taken from across languages
# (feedback/themes/e5_language_centres.json, grouping.language_centres).
LANGUAGE_CENTRE_SENTENCES = Path(__file__).resolve().parent / "data" / "language_centre_sentences.json"


def language_centres(path: Path = LANGUAGE_CENTRE_SENTENCES) -> dict[str, list[float]]:
    """Each language's mean embedding of its sentences, as shipped with the grouping."""
    sentences = json.loads(path.read_text(encoding="utf-8"))
    return {
        language: [round(float(value), 6) for value in embed_all(texts).mean(axis=0)]
        for language, texts in sentences.items()
    }


def english_model_centre(path: Path = LANGUAGE_CENTRE_SENTENCES) -> list[float]:
    """The English model's mean embedding of the English sentences, as shipped with the grouping
    (feedback/themes/english_model_centre.json: its centre until complaints are seen)."""
    from feedback.themes import embeddings

    sentences = json.loads(path.read_text(encoding="utf-8"))[grouping.ENGLISH]
    mean = sum(embeddings.english_model().embed(text) for text in sentences) / len(sentences)
    return [round(float(value), 6) for value in mean]


def replay(
    texts: Sequence[str],
    threshold: float,
    *,
    method: str = grouping.NGRAMS,
    vectors=None,
    english_vectors=None,
    consolidate_every: int = CONSOLIDATE_EVERY,
    merge_threshold: float = grouping.MERGE_THRESHOLD,
    languages: Sequence[str] | None = None,
) -> tuple[list[int], int, int, float]:
    """The stream as the worker sees it: one text at a time, consolidation every N texts.
    `languages`, when given, is each text's language (a ticket's language field in the worker);
    `english_vectors` the English model's embeddings of the English ones (embed_all_english).

    Returns each text's final theme, the escalations raised and the merges made, and seconds.
    One escalation per problem: a theme that is escalated stays so when it absorbs another, and
    an escalated theme absorbed into another makes that one escalated without a new escalation.
    Merges between two escalated themes are counted as merged (what a manager would accept).
    """
    store = grouping.MemoryStore()
    escalated: set[int] = set()
    escalations = merges = 0
    assigned: list[int] = []
    started = time.perf_counter()
    for index, text in enumerate(texts):
        # The n-gram method is measured without embeddings: a theme holding one would be
        # consolidated by the combined method.
        embedding = None if vectors is None or method == grouping.NGRAMS else vectors[index]
        language = languages[index] if languages else ""
        english = None
        if english_vectors is not None and language == grouping.ENGLISH and method != grouping.NGRAMS:
            english = english_vectors[index]
        theme_id = grouping.assign(
            store,
            text,
            threshold=threshold,
            method=method,
            embedding=embedding,
            language=language,
            english=english,
        ).theme_id
        assigned.append(theme_id)
        if theme_id not in escalated and store.themes[theme_id].size >= ESCALATE_AT:
            escalated.add(theme_id)
            escalations += 1
        if consolidate_every and (index + 1) % consolidate_every == 0:
            merged, raised = consolidate(store, escalated, merge_threshold)
            merges, escalations = merges + merged, escalations + raised
        if consolidate_every and index + 1 == len(texts) and (index + 1) % consolidate_every:
            # The stream ends between two runs: the next run, as the worker's would, comes last.
            merged, raised = consolidate(store, escalated, merge_threshold)
            merges, escalations = merges + merged, escalations + raised
    seconds = time.perf_counter() - started
    return [store.final_theme(theme_id) for theme_id in assigned], escalations, merges, seconds


def consolidate(store, escalated: set[int], threshold: float) -> tuple[int, int]:
    """One consolidation run; (merges, escalations raised by a merged theme crossing the rule)."""
    pairs = store.consolidate(threshold=threshold)
    for kept, absorbed, _similarity in pairs:  # in the order merged, round after round
        if absorbed in escalated:
            escalated.add(kept)  # the problem was escalated already: it stays one escalation
    raised = 0
    for theme_id in {store.final_theme(kept) for kept, _absorbed, _similarity in pairs}:
        if theme_id not in escalated and store.themes[theme_id].size >= ESCALATE_AT:
            escalated.add(theme_id)
            raised += 1
    return len(pairs), raised


SITUATIONS_CONSOLIDATE_EVERY = 20  # a set of a few hundred texts: consolidation as often


def evaluate(
    rows: Sequence[tuple[str, str]],
    threshold: float,
    *,
    method: str = grouping.NGRAMS,
    vectors=None,
    english_vectors=None,
    consolidate_every: int = CONSOLIDATE_EVERY,
    merge_threshold: float = grouping.MERGE_THRESHOLD,
    language: str = grouping.ENGLISH,
) -> Result:
    """One split replayed at one threshold. BANKING77 is English: each text comes as a ticket in
    `language` would."""
    texts = [text for text, _label in rows]
    themes, escalations, merges, seconds = replay(
        texts,
        threshold,
        method=method,
        vectors=vectors,
        english_vectors=english_vectors,
        consolidate_every=consolidate_every,
        merge_threshold=merge_threshold,
        languages=[language] * len(texts) if language else None,
    )
    labels = [label for _text, label in rows]
    return Result(
        texts=len(rows),
        themes=len(set(themes)),
        purity=purity(labels, themes),
        ari=adjusted_rand_index(labels, themes),
        seconds=seconds,
        threshold=threshold,
        method=method,
        escalations=escalations,
        merges=merges,
    )


@dataclass(frozen=True)
class Situations:
    situations: int
    joined: int  # situations whose texts in every language ended in one theme
    themes: int
    ari: float
    # Situations whose largest theme holds texts in every language they were written in.
    spanning: int = 0


def load_situations(path: Path) -> list[tuple[str, str, str]]:
    """(text, situation, language) from the three-language labelled set (a JSON list)."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows = [(row["text"], row["situation"], row["language"]) for row in rows]
    random.Random(SHUFFLE_SEED).shuffle(rows)  # noqa: S311 (a fixed order, not a secret)
    return rows


def evaluate_situations(
    rows, threshold: float, *, method: str, vectors=None, english_vectors=None, with_languages: bool = True
) -> Situations:
    """How many situations end in one theme across the languages (all of a situation's texts
    in a single theme, that theme holding texts of every language it was written in). Each text
    comes with its language, as a ticket does, unless `with_languages` is false."""
    themes, _escalations, _merges, _seconds = replay(
        [text for text, _situation, _language in rows],
        threshold,
        method=method,
        vectors=vectors,
        english_vectors=english_vectors,
        consolidate_every=SITUATIONS_CONSOLIDATE_EVERY,
        languages=[language for _text, _situation, language in rows] if with_languages else None,
    )
    return situation_figures(rows, themes)


def situation_figures(rows, themes: Sequence[int]) -> Situations:
    """The three-language figures of one grouping: `themes[i]` is the theme of `rows[i]`."""
    by_situation: dict[str, list[tuple[int, str]]] = {}
    for (_text, situation, language), theme in zip(rows, themes, strict=True):
        by_situation.setdefault(situation, []).append((theme, language))

    def spans_every_language(found) -> bool:
        largest = Counter(theme for theme, _language in found).most_common(1)[0][0]
        return {language for theme, language in found if theme == largest} == {lang for _t, lang in found}

    return Situations(
        situations=len(by_situation),
        joined=sum(1 for found in by_situation.values() if len({theme for theme, _l in found}) == 1),
        themes=len(set(themes)),
        ari=adjusted_rand_index([situation for _t, situation, _l in rows], themes),
        spanning=sum(1 for found in by_situation.values() if spans_every_language(found)),
    )
