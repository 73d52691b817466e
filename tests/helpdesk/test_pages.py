"""The page shell: navigation by role, messages as alerts, vendored assets, phone layout."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.django_db
def test_home_page_greets_a_customer_without_staff_links(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "How can we help you today?" in response.text
    assert "Staff sign in" in response.text
    assert "Workspace" not in response.text
    assert 'name="viewport"' in response.text


def test_agent_navigation_has_the_workspace_but_not_administration(client, agent):
    client.force_login(agent)
    page = client.get("/").text
    assert "Workspace" in page
    assert "Administration" not in page
    assert "Signed in as Anna · Agent" in page


def test_manager_navigation_adds_administration(client, manager):
    client.force_login(manager)
    page = client.get("/agent/").text
    assert "<title>Workspace · Helpdesk</title>" in page
    assert "Administration" in page
    assert "Signed in as Marek · Manager" in page


def test_messages_show_as_dismissible_alerts(client, agent):
    client.force_login(agent)
    response = client.post("/accounts/logout/", follow=True)
    assert 'class="alert alert-info alert-dismissible' in response.text
    assert "You have signed out." in response.text


def test_workspace_issues_a_fixed_number_of_queries(client, agent, make_ticket, django_assert_num_queries):
    for number in range(20):
        make_ticket(email=f"customer{number}@example.hu")
    client.force_login(agent)
    client.get("/agent/")  # the agent's profile is created on the first visit
    # The queue page (saved views and the page's tags included); tests/helpdesk/queue/test_page.py
    # counts them at two data sizes.
    with django_assert_num_queries(9):
        assert client.get("/agent/").status_code == 200


def test_bootstrap_and_htmx_are_served_from_our_own_static_files(client, db):
    page = client.get("/").text
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/vendor/bootstrap/bootstrap.bundle.min.js" in page
    assert re.search(r"/static/django_htmx/htmx-2\S*\.js", page)
    for asset in ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js"]:
        assert finders.find(asset), asset


def test_no_template_loads_anything_from_another_site():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {url}"
        for path in TEMPLATES.rglob("*.html")
        for url in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", path.read_text())
    ]
    assert offenders == []
