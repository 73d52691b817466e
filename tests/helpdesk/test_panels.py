"""Other apps add panels to a ticket's pages through registered providers, never by import."""

import pytest

from helpdesk import panels
from helpdesk.notices import Notice


@pytest.fixture
def panel_template(settings, tmp_path):
    (tmp_path / "panel.html").write_text('<p class="extra-panel">{{ panel.text }}</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]


@pytest.fixture
def registered(panel_template):
    added = []

    def register(slot):
        def provider(request, ticket):
            return [Notice("panel.html", {"text": f"{slot} panel for {ticket.reference}"})]

        panels.register(slot, provider)
        added.append((slot, provider))
        return provider

    yield register
    for slot, provider in added:
        panels._providers[slot].remove(provider)


@pytest.mark.django_db
def test_a_workspace_panel_shows_on_the_agents_ticket_page(client, agent, make_ticket, registered):
    registered(panels.WORKSPACE)
    ticket = make_ticket()
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{ticket.reference}/").text

    assert f'<p class="extra-panel">workspace panel for {ticket.reference}</p>' in page


@pytest.mark.django_db
def test_a_status_panel_shows_on_the_customers_page_only(client, agent, make_ticket, registered):
    registered(panels.STATUS)
    ticket = make_ticket()

    assert "status panel for" in client.get(f"/status/{ticket.status_token}/").text
    client.force_login(agent)
    assert "status panel for" not in client.get(f"/agent/tickets/{ticket.reference}/").text


def test_registering_twice_keeps_one_provider(registered):
    provider = registered(panels.STATUS)
    panels.register(panels.STATUS, provider)

    assert panels._providers[panels.STATUS].count(provider) == 1
