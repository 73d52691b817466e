"""Folding text for comparison: the database folds exactly as Python does, on every backend."""

import pytest
from django.db.models import CharField, Value

from helpdesk.models import Category, Customer, Ticket
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


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLES[:-1])
def test_the_database_keeps_customers_names_and_addresses_folded_like_python(text):
    customer = Customer.objects.create(name=text, email="ŁUKASZ.Wiśniewski@example.pl")

    stored = Customer.objects.values_list("search_text", flat=True).get(pk=customer.pk)

    assert stored == f"{fold(text)}\nlukasz.wisniewski@example.pl"


@pytest.mark.django_db
@pytest.mark.parametrize("text", SAMPLES[:-1])
def test_the_database_keeps_subjects_folded_like_python(make_ticket, text):
    ticket = make_ticket(subject=text)

    assert Ticket.objects.values_list("folded_subject", flat=True).get(pk=ticket.pk) == fold(text)
