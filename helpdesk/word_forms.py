"""Word forms: the dictionary form (lemma) of a word in Hungarian, Polish and English.

"faktury" and "fakturę" are forms of "faktura", "számlát" of "számla", "invoices" of "invoice":
simplemma's dictionaries (hu, pl, en) say so. Only the dictionaries are asked, never simplemma's
guessing strategies, which cut Hungarian words wrongly ("számlámat" would become "száj", mouth).
Hungarian possessives, which the dictionary lacks ("számlám", "kártyámmal"), are found by taking
common endings off until the dictionary knows the rest, lengthened final vowel restored
("számlá-m" is "számla"). A word no dictionary knows has no lemma.

The dictionaries are read once per process, on first use (a few seconds, about 90 MB).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from simplemma.strategies import DictionaryLookupStrategy

try:  # simplemma 2: dictionaries read as compact streams instead of Python dicts (600 MB)
    from simplemma.strategies.dictionaries import StreamDictionaryFactory as _Dictionaries
except ImportError:  # simplemma 1.1
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory as _Dictionaries

LANGUAGES = ("hu", "pl", "en")
_LOOKUP = DictionaryLookupStrategy(_Dictionaries())

# Hungarian endings a customer's word often carries: case endings, then possessive and plural
# ones (e.g. számlá-m-at, kártyá-m-mal). At most two are taken off, the stem keeps 3 letters.
_CASE_ENDINGS = (
    "t at et ot öt val vel al el nak nek ban ben ba be ból ből ra re ról ről hoz hez höz on en ön n"
)
_MORE_CASE_ENDINGS = "tól től ig ért nál nél"
_POSSESSIVE_ENDINGS = (
    "m om em öm am d od ed öd ad ja je a e unk ünk nk tok tek tök juk jük uk ük im aim eim jaim jeim"
)
_PLURAL_ENDINGS = "k ok ek ök ak i ai ei jai jei"
_HUNGARIAN_ENDINGS = sorted(
    {
        ending
        for endings in (_CASE_ENDINGS, _MORE_CASE_ENDINGS, _POSSESSIVE_ENDINGS, _PLURAL_ENDINGS)
        for ending in endings.split()
    },
    key=len,
    reverse=True,
)
_LENGTHENED = {"á": "a", "é": "e"}
_MINIMUM_STEM = 3


def words(text: str) -> list[str]:
    """The words of a text, lower case, accents kept (what the dictionaries are written in)."""
    text = unicodedata.normalize("NFC", text).lower()
    return "".join(char if char.isalnum() else " " for char in text).split()


@lru_cache(maxsize=65536)
def lemma(word: str, language: str) -> str | None:
    """The dictionary form of a lower-case word in a language, or None when it is not known."""
    if word.isdigit():
        return None
    if found := _lookup(word, language):
        return found
    if language == "hu":
        return _hungarian_lemma(word)
    return None


def lemmas(word: str, languages: tuple[str, ...] = LANGUAGES) -> set[str]:
    """Every dictionary form the word has in the languages (a query's language is not known)."""
    return {found for language in languages if (found := lemma(word, language))}


def _lookup(word: str, language: str) -> str | None:
    found = _LOOKUP.get_lemma(word, language)
    return found.lower() if found else None


def _without_ending(stem: str, ending: str) -> str:
    shorter = stem[: -len(ending)]
    # "-val/-vel" takes the sound of the consonant before it: kártyám-mal, csomag-gal.
    if (
        ending in ("al", "el")
        and len(shorter) > 1
        and shorter[-1] == shorter[-2]
        and shorter[-1] not in "aáeéiíoóöőuúüű"
    ):
        return shorter[:-1]
    return shorter


def _hungarian_lemma(word: str) -> str | None:
    stems = [word]
    for _ in range(2):
        stems = [
            _without_ending(stem, ending)
            for stem in stems
            for ending in _HUNGARIAN_ENDINGS
            if stem.endswith(ending) and len(stem) - len(ending) >= _MINIMUM_STEM
        ]
        # The longest stem first: the fewer letters taken off, the likelier the word is right.
        for stem in sorted(dict.fromkeys(stems), key=len, reverse=True):
            restored = stem[:-1] + _LENGTHENED[stem[-1]] if stem[-1] in _LENGTHENED else None
            for candidate in (restored, stem):
                if candidate and (found := _lookup(candidate, "hu")):
                    return found
    return None
