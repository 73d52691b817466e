"""Other apps add panels to a ticket's pages through the slots of helpdesk.hooks, never by import."""

import pytest

from helpdesk import hooks
from helpdesk.hooks import Notice


@pytest.fixture
def panel_template(settings, tmp_path):
    (tmp_path / "panel.html").write_text('<p class="extra-panel">{{ panel.text }}</p>')
    # Notices are drawn by includes/notices.html, which names their context `notice`.
    (tmp_path / "notice.html").write_text('<p class="extra-notice">{{ notice.text }}</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]


@pytest.fixture
def registered(panel_template, hooked):
    def register(slot, template="panel.html"):
        def provider(request, ticket):
            return [Notice(template, {"text": f"{slot.name} for {ticket.reference}"})]

        return hooked(slot, provider)

    return register


@pytest.mark.django_db
def test_a_workspace_panel_shows_on_the_agents_ticket_page(client, agent, make_ticket, registered):
    registered(hooks.WORKSPACE_PANELS)
    ticket = make_ticket()
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{ticket.reference}/").text

    assert f'<p class="extra-panel">workspace panels for {ticket.reference}</p>' in page


@pytest.mark.django_db
def test_a_status_panel_shows_on_the_customers_page_only(client, agent, make_ticket, registered):
    registered(hooks.STATUS_PANELS)
    ticket = make_ticket()

    assert "status page panels for" in client.get(f"/status/{ticket.status_token}/").text
    client.force_login(agent)
    response = client.get(f"/agent/tickets/{ticket.reference}/")
    assert response.status_code == 200
    assert "status page panels for" not in response.text


@pytest.mark.django_db
def test_workspace_and_status_notices_show_at_the_top_of_their_page(client, agent, make_ticket, registered):
    registered(hooks.WORKSPACE_NOTICES, "notice.html")
    registered(hooks.STATUS_NOTICES, "notice.html")
    ticket = make_ticket()

    status_page = client.get(f"/status/{ticket.status_token}/").text
    assert status_page.index("status page notices for") < status_page.index('id="main"')
    client.force_login(agent)
    workspace = client.get(f"/agent/tickets/{ticket.reference}/").text
    assert workspace.index("workspace notices for") < workspace.index('id="main"')


def test_registering_twice_keeps_one_provider(registered):
    provider = registered(hooks.STATUS_PANELS)
    hooks.STATUS_PANELS.add(provider)

    assert hooks.STATUS_PANELS.entries().count(provider) == 1
