"""The languages we serve customers in, and a text kept in each of them.

A text is shown in the customer's language, else in English, else in any other it is written
in: English is the one every text must have, the others may still be missing.
"""

from collections.abc import Mapping

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    EN = "en", _("English")
    HU = "hu", _("Hungarian")
    PL = "pl", _("Polish")


LANGUAGES = Language.values


def fallback_order(language: str | None = None) -> list[str]:
    """The language asked for (the active one when None) first, then English, then the rest."""
    language = (language or get_language() or "en")[:2]
    first = [language] if language in LANGUAGES else []
    return list(dict.fromkeys([*first, "en", *LANGUAGES]))


def texts_of(obj, field: str) -> dict[str, str]:
    """A model's `<field>_en`, `<field>_hu` and `<field>_pl`, by language code."""
    return {code: getattr(obj, f"{field}_{code}") for code in LANGUAGES}


def written_in(texts: Mapping[str, object], language: str | None = None) -> str | None:
    """The language, in fallback order, of the first of `texts` (by language code) that is
    written; None when none is."""
    return next((code for code in fallback_order(language) if texts.get(code)), None)


def in_language(texts: Mapping[str, str], language: str | None = None) -> str:
    """The text in the language asked for (the active one when None), else in English, else in
    another; "" when none is written."""
    code = written_in(texts, language)
    return texts[code] if code else ""


def field_in_language(obj, field: str, language: str | None = None) -> str:
    """A model's `<field>_<code>` in the language asked for, else in English, else in another."""
    return in_language(texts_of(obj, field), language)
