"""Every page carries a Content-Security-Policy that runs only our own scripts.

The browser test (tests/browser/test_content_security_policy.py) loads the pages with the
policy enforced; these tests read the header and the HTML.
"""

import re
from pathlib import Path

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
OUTSIDE_ASSET = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_the_policy_allows_our_own_scripts_and_nothing_inline(client, db):
    policy = directives(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_every_public_page_has_the_policy_and_no_inline_script(client, public_pages):
    for name, path in public_pages.items():
        if name.startswith("_"):
            continue
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

        assert response.status_code == 200, name
        policy = directives(response)
        assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"]), name
        html = response.content.decode()
        assert not INLINE_HANDLER.search(html), (name, INLINE_HANDLER.search(html).group())
        assert not INLINE_SCRIPT.search(html), (name, INLINE_SCRIPT.search(html).group())
        assert "javascript:" not in html, name
        assert "hx-on" not in html, name
        assert not OUTSIDE_ASSET.search(html), (name, OUTSIDE_ASSET.search(html).group())


def test_every_staff_page_has_the_policy_and_no_inline_script(client, manager, staff_pages):
    client.force_login(manager)
    for name, path in staff_pages.items():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

        assert response.status_code == 200, name
        assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(directives(response)["script-src"]), name
        html = response.content.decode()
        assert not INLINE_HANDLER.search(html), (name, INLINE_HANDLER.search(html).group())
        assert not INLINE_SCRIPT.search(html), (name, INLINE_SCRIPT.search(html).group())


def test_no_template_has_an_inline_handler_or_script():
    """Pages we could not all render here (a printed slip, a report) are read as templates."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    found = [
        f"{path.relative_to(templates)}: {match.group()}"
        for path in templates.rglob("*.html")
        if "emails" not in path.parts
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT)
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []


def test_the_printable_report_prints_without_an_inline_handler(client, manager, public_pages):
    client.force_login(manager)
    incident = public_pages["incident report"].rstrip("/").rsplit("/", 1)[1]
    html = client.get(f"/crisis/incidents/{incident}/report/").content.decode()

    assert not INLINE_HANDLER.search(html)
    assert "data-print" in html


def test_the_phone_call_form_keeps_enter_in_the_search_box_without_an_inline_handler(client, manager, queue):
    client.force_login(manager)
    html = client.get("/agent/calls/new/").content.decode()

    assert not INLINE_HANDLER.search(html)
    assert "data-enter-stays" in html


def test_htmx_is_configured_not_to_evaluate_code_or_add_styles(client, db):
    html = client.get("/").content.decode()

    assert '<meta name="htmx-config"' in html
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html


def test_an_htmx_fragment_carries_the_policy_too(client, public_pages):
    response = client.get(public_pages["status page"] + "live/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
