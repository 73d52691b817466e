"""The site's icon: linked from every page, and at /favicon.ico where browsers look first."""

from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_site_s_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/helpdesk/favicon.ico"
    with open(finders.find("helpdesk/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an icon resource


def test_every_page_links_the_icon(client, db):
    page = client.get("/").text

    assert '<link rel="icon" href="/static/helpdesk/favicon.ico"' in page
