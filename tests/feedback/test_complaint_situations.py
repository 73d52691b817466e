"""The three-language complaint set (tests/feedback/data) keeps the shape the evaluation relies on.

A mislabelled language or a situation left with too few texts would quietly weaken the
cross-language figures, so the shape is checked here rather than trusted.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "complaint_situations.json"
LANGUAGES = {"en", "hu", "pl"}
# Letters each language has and the other two lack (ó is shared by Hungarian and Polish).
HUNGARIAN = re.compile("[áéíóöőúüű]", re.IGNORECASE)
POLISH = re.compile("[ąćęłńóśźż]", re.IGNORECASE)
ONLY_HUNGARIAN = re.compile("[áéíöőúüű]", re.IGNORECASE)
ONLY_POLISH = re.compile("[ąćęłńśźż]", re.IGNORECASE)


@pytest.fixture(scope="module")
def rows():
    return json.loads(DATA.read_text(encoding="utf-8"))


def texts_in(rows, language):
    return [row["text"] for row in rows if row["language"] == language]


def test_every_row_has_a_situation_a_known_language_and_a_text(rows):
    assert all(set(row) == {"situation", "language", "text"} for row in rows)
    assert {row["language"] for row in rows} == LANGUAGES
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", row["situation"]) for row in rows)
    assert all(row["text"].strip() == row["text"] and row["text"] for row in rows)


def test_twenty_situations_each_written_at_least_three_ways_in_every_language(rows):
    per_language = Counter((row["situation"], row["language"]) for row in rows)
    situations = {row["situation"] for row in rows}
    assert len(situations) == 20
    assert len(rows) >= 180
    too_few = {
        (situation, language): per_language[situation, language]
        for situation in situations
        for language in LANGUAGES
        if per_language[situation, language] < 3
    }
    assert too_few == {}


def test_no_text_appears_twice(rows):
    repeated = [text for text, count in Counter(row["text"].casefold() for row in rows).items() if count > 1]
    assert repeated == []


def test_hungarian_and_polish_texts_are_labelled_with_their_own_language(rows):
    hungarian, polish = texts_in(rows, "hu"), texts_in(rows, "pl")
    # Some are typed without accents on purpose, but most carry their language's letters...
    assert sum(bool(HUNGARIAN.search(text)) for text in hungarian) > len(hungarian) / 2
    assert sum(bool(POLISH.search(text)) for text in polish) > len(polish) / 2
    # ...and none carries the other language's.
    assert [text for text in hungarian if ONLY_POLISH.search(text)] == []
    assert [text for text in polish if ONLY_HUNGARIAN.search(text)] == []
    assert [text for text in texts_in(rows, "en") if HUNGARIAN.search(text) or POLISH.search(text)] == []
