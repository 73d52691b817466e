"""Folding text for comparison: the database folds exactly as Python does, on every backend."""

import pytest
from django.db.models import CharField, Value

from helpdesk.models import Category
from helpdesk.text_folding import Fold, fold

SAMPLES = [
    "ÁRAMSZÜNET Árvíztűrő tükörfúrógép",
    "Zażółć GĘŚLĄ jaźń, Łódź",
    "Příliš žluťoučký kůň, Ærø, đ, ß",
    "plain ascii 123",
    "",
]


def test_fold_drops_case_and_accents_in_hungarian_polish_and_english():
    assert fold("Áramszünet") == "aramszunet"
    assert fold("ZAPŁATA za fakturę") == "zaplata za fakture"
    assert fold("Café") == "cafe"
    assert fold("Ka\u0301rtya") == "kartya"  # the accent typed as a separate mark


@pytest.mark.parametrize("text", SAMPLES)
def test_database_folds_like_python(category, text):
    folded = Category.objects.annotate(folded=Fold(Value(text))).values_list("folded", flat=True).get()

    assert folded == fold(text)


def test_database_fold_of_null_is_null(category):
    folded = Category.objects.annotate(folded=Fold(Value(None, output_field=CharField())))

    assert folded.values_list("folded", flat=True).get() is None
