"""English, Hungarian and Polish: complete catalogues, compiled, chosen and remembered."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from helpdesk.models import StaffProfile

PROJECT = Path(__file__).resolve().parents[2]
LANGUAGES = ["en", "hu", "pl"]
SOURCE_DIRS = ["config", "helpdesk", "crisis", "feedback", "devtools", "templates", "locale"]


def problems_in(po: polib.POFile) -> list[str]:
    untranslated = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    return untranslated + fuzzy


@pytest.mark.long
@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_every_marked_string_is_translated_in_every_catalogue(tmp_path):
    # Extract the strings from a copy of the sources, so a string marked in code but missing from
    # a catalogue shows up here as untranslated, without touching the working tree.
    for name in SOURCE_DIRS:
        shutil.copytree(PROJECT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(PROJECT / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-l", "en", "-l", "hu", "-l", "pl"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.dev_settings"},
        check=True,
        capture_output=True,
    )
    problems = {
        language: problems_in(polib.pofile(tmp_path / f"locale/{language}/LC_MESSAGES/django.po"))
        for language in LANGUAGES
    }
    assert problems == {"en": [], "hu": [], "pl": []}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    po = polib.pofile(PROJECT / f"locale/{language}/LC_MESSAGES/django.po")
    assert len(po) > 20
    assert problems_in(po) == []


@pytest.mark.parametrize("language", ["hu", "pl"])
def test_compiled_catalogue_matches_its_source(language):
    po = polib.pofile(PROJECT / f"locale/{language}/LC_MESSAGES/django.po")
    with open(PROJECT / f"locale/{language}/LC_MESSAGES/django.mo", "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)

    def compiled_text(entry):
        if entry.msgid_plural:
            return compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        if entry.msgctxt:
            return compiled.pgettext(entry.msgctxt, entry.msgid)
        return compiled.gettext(entry.msgid)

    def source_text(entry):
        return entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr

    stale = [entry.msgid for entry in po.translated_entries() if compiled_text(entry) != source_text(entry)]
    assert stale == [], "run `make compilemessages`"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "greeting", "html_lang"),
    [
        ("en", "How can we help you today?", 'lang="en"'),
        ("hu", "Miben segíthetünk ma?", 'lang="hu"'),
        ("pl", "W czym możemy dziś pomóc?", 'lang="pl"'),
    ],
)
def test_home_page_speaks_the_visitors_language(client, language, greeting, html_lang):
    response = client.get("/", headers={"accept-language": language})
    assert greeting in response.text
    assert html_lang in response.text


@pytest.mark.django_db
def test_chosen_language_is_kept_in_a_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "pl"
    assert "W czym możemy dziś pomóc?" in client.get("/", headers={"accept-language": "en"}).text


def test_staff_language_follows_them_to_another_computer(client, agent):
    client.force_login(agent)
    client.post("/i18n/setlang/", {"language": "hu", "next": "/agent/"})
    assert StaffProfile.objects.get(user=agent).language == "hu"

    another_computer = client.__class__()
    response = another_computer.post(
        "/accounts/login/", {"username": "anna", "password": "correct horse battery"}, follow=True
    )
    assert another_computer.cookies["django_language"].value == "hu"
    assert "Szia, Anna" in response.text


@pytest.mark.django_db
def test_an_unknown_language_is_refused_without_harm(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies
