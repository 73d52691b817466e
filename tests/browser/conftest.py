"""Playwright driving Debian's Chromium against a live server.

Outside CI a missing Chromium skips these tests with the reason; with CI=true it fails them,
because a browser test that silently never runs proves nothing.
"""

import os
import shutil
from pathlib import Path

import pytest

# Debian's headless shell first (package chromium-headless-shell: the same Chromium and Blink,
# without the browser's own layer, as Playwright itself runs headless): the journeys cost it about
# a third of the CPU the full browser takes (docs/performance.md). The full browser where the
# shell is not installed; CHROMIUM_PATH=/usr/bin/chromium runs them there on purpose.
CHROMIUM_CANDIDATES = [
    os.environ.get("CHROMIUM_PATH", ""),
    "/usr/bin/chromium-headless-shell",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and shutil.which(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = find_chromium()
    if executable is None:
        message = "Chromium not found (apt-get install chromium-headless-shell, or set CHROMIUM_PATH)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; browser tests must run in CI")
        pytest.skip(message)
    # Playwright's synchronous API runs an event loop in this thread; the Django test client and
    # ORM calls in the same test are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA rules; "serious" and "critical" violations fail the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}


def accessibility_violations(page) -> list[str]:
    """Runs axe-core in the page as it is now; returns the serious and critical violations."""
    # Evaluated by the browser's debugging protocol: the page's Content-Security-Policy (no
    # inline scripts) would block a <script> element added with the same code.
    page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in AXE_FAILING_IMPACTS
    ]


@pytest.fixture
def assert_accessible():
    """`assert_accessible(page)`: fails with axe-core's findings when the page has any."""

    def check(page):
        violations = accessibility_violations(page)
        assert not violations, f"{page.url}:\n" + "\n".join(violations)

    return check


@pytest.fixture
def new_page(browser, live_server):
    """`new_page()`, `new_page(1920, 1080)`: a page in a browser context of its own (another
    person at another screen), closed after the test whatever its outcome, so that no page of a
    failed test goes on polling the live server once the test's database is gone."""
    contexts = []

    def open_page(width=None, height=None, *, locale="en-GB", **options):
        if width:
            options["viewport"] = {"width": width, "height": height}
        context = browser.new_context(base_url=live_server.url, locale=locale, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page_in(new_page):
    """`page_in("hu")`: a phone-sized page whose browser asks for that language."""

    def open_page(language: str):
        locale = {"en": "en-GB", "hu": "hu-HU", "pl": "pl-PL"}[language]
        return new_page(375, 740, locale=locale, is_mobile=True)

    return open_page


@pytest.fixture(params=["push", "polling"])
def live_mode(request, settings):
    """Push: the pages' push channel brings every change, their polling all but stopped (once an
    hour), so what arrives came by push. Polling: push turned off, the pages poll as before."""
    if request.param == "push":
        settings.LIVE_PUSH = True
        settings.LIVE_CONNECTED_POLL_SECONDS = 3600
    else:
        settings.LIVE_PUSH = False
    return request.param
