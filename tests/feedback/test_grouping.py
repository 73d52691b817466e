"""The grouping method itself (pure, in memory): languages, word forms, accents, quality."""

import os
from pathlib import Path

import pytest

from devtools import theme_eval
from feedback.themes import grouping

# The shared folder sits beside the project (../shared); SHARED_DIR points elsewhere.
SHARED = Path(os.environ.get("SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared")
BANKING77 = SHARED / "corpora" / "complaints" / "banking77"

HUNGARIAN_BILLING = [
    "Hibás a számlám, kétszer terhelték",
    "Hibás számlát kaptam megint",
    "hibas szamlamat kaptam, kerem javitsak",  # typed without accents
    "Hibás számlázási adatok a számlámon",
    "Nem értem a számlámat, hibás az összeg",
    "Hibás a számla",
]
POLISH_INVOICE = [
    "Błędna faktura za prąd",
    "Błąd na fakturze za prąd",
    "Problem z fakturą za prąd, błędna kwota",
    "bledna faktura za prad",  # typed without Polish letters
    "Błędna kwota na fakturze za prąd",
]
UNRELATED = [
    "A futár nem hozta ki a csomagot",
    "Kurier nie dostarczył paczki na czas",
    "The mobile app crashes when I log in",
    "Kártyás fizetés elutasítva a boltban",
]


def group(texts, category=None):
    store = grouping.MemoryStore()
    return [grouping.assign(store, text, category, method=grouping.NGRAMS).theme_id for text in texts]


def test_folding_removes_accents_and_case():
    assert grouping.fold("Számlámat ŁÓDŹ Fakturą") == "szamlamat lodz fakture"[:-1] + "a"
    assert grouping.words("Számla 2024-ben: ÁRVÍZTŰRŐ tükörfúrógép") == [
        "szamla",
        "ben",
        "arvizturo",
        "tukorfurogep",
    ]


@pytest.mark.parametrize(
    ("forms", "stem"),
    [(["számlámat", "számla", "számlázási"], " szam"), (["faktura", "fakturze", "fakturą"], " fakt")],
)
def test_inflected_forms_share_the_stem_grams(forms, stem):
    for form in forms:
        assert stem in grouping.grams(form)
        assert stem in grouping.grams(grouping.fold(form))


def test_hungarian_complaints_with_different_word_forms_form_one_theme():
    themes = group(HUNGARIAN_BILLING)
    assert len(set(themes)) == 1


def test_polish_complaints_with_different_word_forms_form_one_theme():
    themes = group(POLISH_INVOICE)
    assert len(set(themes)) == 1


def test_texts_without_accents_match_their_accented_twins():
    for accented, plain in [("Számlámat kétszer terhelték", "szamlamat ketszer terheltek")]:
        assert grouping.grams(accented) == grouping.grams(plain)


def test_unrelated_complaints_stay_apart_from_each_theme():
    themes = group(HUNGARIAN_BILLING + POLISH_INVOICE + UNRELATED)
    billing, invoice = themes[0], themes[len(HUNGARIAN_BILLING)]
    assert billing != invoice
    assert len(set(themes[-len(UNRELATED) :])) == len(UNRELATED)
    assert not {billing, invoice} & set(themes[-len(UNRELATED) :])


def test_the_category_pulls_a_borderline_complaint_in():
    texts = ["Błędna faktura za październik", "Zapłaciłem fakturą dwa razy"]
    assert len(set(group(texts))) == 2
    assert len(set(group(texts, category=7))) == 1


def test_candidates_come_from_the_index_not_every_theme():
    store = grouping.MemoryStore()
    for text in HUNGARIAN_BILLING + UNRELATED:
        grouping.assign(store, text, method=grouping.NGRAMS)
    candidates = store.candidates(list(grouping.grams("szamla")), grouping.CANDIDATES)
    assert [theme.id for theme in candidates] == [1]


def test_purity_and_adjusted_rand_index_by_their_definitions():
    labels = ["a", "a", "a", "b", "b", "b"]
    assert theme_eval.purity(labels, [1, 1, 1, 2, 2, 2]) == 1.0
    assert theme_eval.adjusted_rand_index(labels, [5, 5, 5, 9, 9, 9]) == 1.0
    assert theme_eval.purity(labels, [1, 1, 2, 2, 3, 3]) == pytest.approx(5 / 6)
    # Worked by hand: 2 pairs together in both, 1.2 expected by chance, (2 - 1.2) / (4.5 - 1.2).
    assert theme_eval.adjusted_rand_index(labels, [1, 1, 2, 2, 3, 3]) == pytest.approx(0.24242424)
    assert theme_eval.adjusted_rand_index(labels, [1, 2, 3, 4, 5, 6]) == 0.0


@pytest.mark.long
@pytest.mark.skipif(not BANKING77.exists(), reason="../shared/corpora/complaints/banking77 is not here")
def test_quality_on_banking77_test_split():
    rows = theme_eval.load(BANKING77 / "test.csv")
    result = theme_eval.evaluate(
        rows, grouping.DEFAULT_THRESHOLD, method=grouping.NGRAMS, consolidate_every=0
    )
    # Far better than chance (ARI 0) and than one theme per text or one theme for everything.
    assert result.ari > 0.2
    assert result.purity > 0.45
    assert 77 < result.themes < len(rows) / 4
