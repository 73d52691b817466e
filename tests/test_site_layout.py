"""The site is its apps: crisis and feedback are optional, and production runs no development code."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from crisis import navigation as crisis_navigation
from feedback import navigation as feedback_navigation

PROJECT = Path(__file__).resolve().parents[1]
PROJECT_APPS = ["config", "helpdesk", "crisis", "feedback"]

pytestmark = pytest.mark.long  # each test starts Python processes of its own


def run(module, settings, env=None, tmp_path=None):
    """Python in a fresh process: a site's apps are fixed when Django starts."""
    unwanted = {"DEBUG", "SECRET_KEY", "REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    base = {key: value for key, value in os.environ.items() if key not in unwanted}
    result = subprocess.run(
        [sys.executable, "-m", module],
        cwd=PROJECT,
        env={**base, "DJANGO_SETTINGS_MODULE": settings, **(env or {})},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def menu_urls(links) -> set[str]:
    return {reverse(link.url_name) for link in links}


@pytest.mark.parametrize(
    ("site", "missing", "present"),
    [
        ("tests.sites.base", [], [crisis_navigation, feedback_navigation]),
        ("tests.sites.without_feedback", [feedback_navigation], [crisis_navigation]),
        ("tests.sites.without_crisis", [crisis_navigation, feedback_navigation], []),
    ],
)
def test_a_site_without_an_optional_app_works_and_its_menu_leaves_the_app_out(
    tmp_path, site, missing, present
):
    walk = run("tests.sites.walk", site, {"DEBUG": "1", "SITE_DATABASE": str(tmp_path / "site.sqlite3")})

    assert {url: status for url, status in walk["pages"].items() if status != 200} == {}
    assert len(walk["pages"]) > 25
    manager_menu = set(walk["menus"]["manager"])
    for module in missing:
        assert menu_urls(module.LINKS) & manager_menu == set()
    for module in present:
        assert menu_urls(module.LINKS) <= manager_menu


def test_production_settings_load_no_test_client_demo_data_or_benchmark():
    production = {"SECRET_KEY": "a-production-like-key-" + "x" * 40, "ALLOWED_HOSTS": "helpdesk.example.com"}
    loaded = run("tests.sites.production_imports", "config.settings", production)

    assert [app for app in loaded["installed"] if app in PROJECT_APPS] == PROJECT_APPS
    assert "devtools" not in loaded["installed"]
    assert loaded["development_modules"] == []
    assert loaded["imported_by_our_code"] == []
    assert not {"seed_demo", "bench", "bench_themes", "eval_themes"} & set(loaded["commands"])
    assert loaded["views"] > 100  # every view module was imported, so the check saw them
