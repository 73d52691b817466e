"""How well the grouping finds themes: purity and adjusted Rand index against labelled data.

Used by `make eval-themes` (devtools/management/commands/eval_themes.py) on BANKING77, and by
the tests. Pure Python; the scores follow their textbook definitions.
"""

from __future__ import annotations

import csv
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


def load(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(row["text"], row["category"]) for row in csv.DictReader(handle)]
    random.Random(SHUFFLE_SEED).shuffle(rows)  # noqa: S311 (a fixed order, not a secret)
    return rows


def evaluate(rows: Sequence[tuple[str, str]], threshold: float) -> Result:
    store = grouping.MemoryStore()
    started = time.perf_counter()
    themes = [grouping.assign(store, text, threshold=threshold).theme_id for text, _label in rows]
    seconds = time.perf_counter() - started
    labels = [label for _text, label in rows]
    return Result(
        texts=len(rows),
        themes=len(set(themes)),
        purity=purity(labels, themes),
        ari=adjusted_rand_index(labels, themes),
        seconds=seconds,
        threshold=threshold,
    )
