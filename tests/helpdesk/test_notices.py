"""Other apps announce things on our pages through the page slots of helpdesk.hooks, never by import."""

import pytest

from helpdesk import hooks


@pytest.fixture
def announcement(settings, tmp_path, hooked):
    (tmp_path / "announcement.html").write_text('<p class="announcement">{{ notice.text }}</p>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]

    def provider(request):
        return [hooks.Notice("announcement.html", {"text": f"Outage in {request.LANGUAGE_CODE}"})]

    return hooked(hooks.CUSTOMER_PAGE_NOTICES, provider)


@pytest.mark.django_db
def test_a_registered_notice_shows_on_the_home_page(client, announcement):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="hu").content.decode()

    assert '<p class="announcement">Outage in hu</p>' in page


@pytest.mark.django_db
def test_without_providers_the_page_shows_no_notice(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "announcement" not in response.content.decode()


def test_registering_twice_keeps_one_provider(announcement):
    hooks.CUSTOMER_PAGE_NOTICES.add(announcement)

    assert hooks.CUSTOMER_PAGE_NOTICES.entries().count(announcement) == 1


@pytest.mark.django_db
def test_a_customer_page_notice_stays_off_staff_pages(client, agent, announcement):
    client.force_login(agent)
    response = client.get("/agent/")

    assert response.status_code == 200
    assert "announcement" not in response.text
