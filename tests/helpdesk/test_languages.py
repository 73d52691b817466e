"""helpdesk.languages: a text in the customer's language, else English, else another."""

from types import SimpleNamespace

from django.utils import translation

from helpdesk.languages import fallback_order, field_in_language, in_language, written_in

TEXTS = {"en": "Billing", "hu": "Számlázás", "pl": ""}


def test_the_language_asked_for_first_then_english_then_the_rest():
    assert fallback_order("pl") == ["pl", "en", "hu"]
    assert fallback_order("de") == ["en", "hu", "pl"]
    with translation.override("hu"):
        assert fallback_order() == ["hu", "en", "pl"]


def test_a_missing_text_falls_back_to_english():
    assert in_language(TEXTS, "hu") == "Számlázás"
    assert in_language(TEXTS, "pl") == "Billing"
    assert written_in(TEXTS, "pl") == "en"


def test_without_english_another_language_is_shown():
    assert in_language({"en": "", "hu": "Számlázás", "pl": ""}, "pl") == "Számlázás"
    assert in_language({"en": "", "hu": "", "pl": ""}, "pl") == ""
    assert written_in({"en": "", "hu": "", "pl": ""}, "pl") is None


def test_a_models_fields_in_the_active_language():
    category = SimpleNamespace(name_en="Billing", name_hu="Számlázás", name_pl="")
    with translation.override("hu"):
        assert field_in_language(category, "name") == "Számlázás"
    assert field_in_language(category, "name", "pl") == "Billing"
