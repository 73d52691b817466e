"""The error pages: the site's own layout for a refused or missing page, in the visitor's language;
a plain but translated page for a bad request and a server error, which need no database."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

# What each page says, per language, and a piece of the layout (the footer's line) around it.
REFUSED = {
    "hu": "Ehhez az oldalhoz nincs hozzáférése.",
    "pl": "Nie ma Pan/Pani dostępu do tej strony.",
}
NOT_FOUND = {
    "hu": "Ezt az oldalt nem találjuk.",
    "pl": "Nie możemy znaleźć tej strony.",
}
LAYOUT = {"hu": "Azért vagyunk itt, hogy segítsünk.", "pl": "Jesteśmy tu, aby pomóc."}


@pytest.fixture(autouse=True)
def production_errors(settings):
    settings.DEBUG = False


@pytest.mark.parametrize("language", ["hu", "pl"])
def test_a_refused_page_answers_403_with_the_layout_in_the_visitors_language(client, outsider, language):
    client.force_login(outsider)

    response = client.get("/agent/", headers={"accept-language": language})

    assert response.status_code == 403
    assert f'<html lang="{language}">' in response.text
    assert REFUSED[language] in response.text
    assert LAYOUT[language] in response.text
    assert 'id="main"' in response.text


@pytest.mark.parametrize("language", ["hu", "pl"])
def test_a_missing_page_answers_404_with_the_layout_in_the_visitors_language(client, db, language):
    response = client.get("/no-such-page/", headers={"accept-language": language})

    assert response.status_code == 404
    assert f'<html lang="{language}">' in response.text
    assert NOT_FOUND[language] in response.text
    assert LAYOUT[language] in response.text
    assert 'href="/"' in response.text


def test_the_english_pages_say_what_happened_and_where_to_go(client, outsider):
    missing = client.get("/no-such-page/", headers={"accept-language": "en"})
    client.force_login(outsider)
    refused = client.get("/agent/", headers={"accept-language": "en"})

    assert "We cannot find this page." in missing.text
    assert "Check my request" in missing.text
    assert "You do not have access to this page." in refused.text


@pytest.mark.parametrize(
    ("view", "status", "text"),
    [
        (defaults.server_error, 500, "Something went wrong on our side."),
        (defaults.bad_request, 400, "We could not understand this request."),
    ],
)
def test_server_error_and_bad_request_pages_are_translated_and_need_no_database(view, status, text):
    # Rendered as Django renders them, without a request context; and without database access
    # (this test has none: a query would fail it), which may be what broke.
    request = RequestFactory().get("/")
    arguments = {} if status == 500 else {"exception": SuspiciousOperation()}
    with translation.override("hu"):
        response = view(request, **arguments)
        expected = translation.gettext(text)

    page = response.content.decode()
    assert response.status_code == status
    assert expected != text
    assert expected in page
    assert '<html lang="hu">' in page


def test_a_request_for_another_host_gets_the_translated_bad_request_page(client, db):
    response = client.get("/", headers={"host": "evil.example", "accept-language": "pl"})

    assert response.status_code == 400
    assert "Nie udało się nam zrozumieć tego żądania." in response.text


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "The form has expired."), ("hu", "Lejárt az űrlap."), ("pl", "Formularz wygasł.")],
)
def test_a_form_sent_without_its_security_token_gets_the_sites_page_in_the_visitors_language(
    db, language, text
):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        "/tickets/new/", {"subject": "Broken vase"}, headers={"accept-language": language}
    )

    assert response.status_code == 403
    assert f'<html lang="{language}">' in response.text
    assert text in response.text
    assert 'id="main"' in response.text
