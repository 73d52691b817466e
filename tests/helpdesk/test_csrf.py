"""helpdesk.csrf: Django's CSRF check, plus "Origin: null" from our own pages (no-referrer)."""

import pytest
from django.test import Client

from config import checks
from helpdesk.models import Ticket


@pytest.fixture
def ticket(make_ticket):
    ticket = make_ticket(email="katalin@example.hu")
    Ticket.objects.filter(pk=ticket.pk).update(summary="Charged twice in November.", summary_state="pending")
    return ticket


@pytest.fixture
def browser():
    """A client that checks CSRF like production, holding the cookie from a visit to the page."""
    return Client(enforce_csrf_checks=True)


def confirm(browser, ticket, *, with_token=True, **headers):
    page = browser.get(f"/status/{ticket.status_token}/")
    assert page["Referrer-Policy"] == "no-referrer"
    data = {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value} if with_token else {}
    return browser.post(f"/status/{ticket.status_token}/summary/confirm/", data, **headers)


def state(ticket):
    ticket.refresh_from_db()
    return ticket.summary_state


def test_origin_null_from_our_own_page_is_accepted(browser, ticket):
    response = confirm(browser, ticket, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")

    assert response.status_code == 302
    assert state(ticket) == "confirmed"


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_origin_null_from_anywhere_else_is_refused(browser, ticket, site):
    response = confirm(browser, ticket, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE=site)

    assert response.status_code == 403
    assert state(ticket) == "pending"


def test_origin_null_without_fetch_metadata_is_refused(browser, ticket):
    assert confirm(browser, ticket, HTTP_ORIGIN="null").status_code == 403
    assert state(ticket) == "pending"


def test_the_token_is_still_required(browser, ticket):
    response = confirm(
        browser, ticket, with_token=False, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )

    assert response.status_code == 403
    assert state(ticket) == "pending"


def test_another_sites_origin_is_refused_whatever_it_claims(browser, ticket):
    response = confirm(browser, ticket, HTTP_ORIGIN="https://evil.example", HTTP_SEC_FETCH_SITE="same-origin")

    assert response.status_code == 403
    assert state(ticket) == "pending"


def test_our_own_origin_still_passes_as_with_django(browser, ticket):
    assert confirm(browser, ticket, HTTP_ORIGIN="http://testserver").status_code == 302
    assert state(ticket) == "confirmed"


def test_the_middleware_is_the_one_in_use(settings):
    assert "helpdesk.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" not in settings.MIDDLEWARE


def test_the_deploy_check_warns_when_the_csrf_middleware_is_missing(settings):
    assert checks.check_csrf_middleware(None) == []

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "helpdesk.csrf.CsrfViewMiddleware"]

    assert [w.id for w in checks.check_csrf_middleware(None)] == ["helpdesk.W003"]
