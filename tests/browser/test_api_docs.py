"""The API's docs page works in a browser and fetches nothing from outside our own server."""

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_render_from_our_own_files(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/api/docs/")

    page.get_by_text("/api/tickets/{reference}/").first.wait_for()
    assert page.get_by_text("Open a ticket for a customer").is_visible()
    assert requested
    assert [url for url in requested if not url.startswith(live_server.url)] == []
