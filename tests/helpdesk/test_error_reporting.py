"""A fault on a page reaches the people who fix it: mailed to ADMINS, or reported to Sentry when
SENTRY_DSN is set; neither carries the visitor's secret link or what they typed."""

import pytest
from django.core import mail
from django.http import HttpResponse
from django.urls import path

from config import urls as site_urls
from tests.helpdesk.test_settings import PRODUCTION_ENV, run_django

SECRET_LINK = "k3y-0f-a-customers-status-page"


def broken_page(request, token):
    raise RuntimeError("the page broke")


def unavailable_page(request):
    return HttpResponse("Come back later", status=503)


# The site's pages plus one that breaks, at an address shaped like a customer's status link, and
# one that answers 503 on purpose, as /healthz does while the database is down.
urlpatterns = [
    path("status/<str:token>/broken/", broken_page),
    path("unavailable/", unavailable_page),
    *site_urls.urlpatterns,
]


@pytest.fixture
def a_page_that_breaks(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_a_server_error_is_mailed_to_admins_once_without_the_visitors_data(
    client, db, settings, a_page_that_breaks
):
    settings.ADMINS = [("Ops", "ops@example.com")]
    client.raise_request_exception = False

    response = client.post(
        f"/status/{SECRET_LINK}/broken/?email=jan.kowalski@example.com",
        {"message": "Nazywam się Jan Kowalski"},
        REMOTE_ADDR="203.0.113.9",
    )

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert report.to == ["ops@example.com"]
    assert (
        report.subject == "[Django] ERROR (EXTERNAL IP): Internal Server Error: /status/<str:token>/broken/"
    )
    assert "Exception Value: the page broke" in report.body
    assert "message = '[hidden]'" in report.body
    for personal in (SECRET_LINK, "jan.kowalski@example.com", "Jan Kowalski", "203.0.113.9"):
        assert personal not in report.subject
        assert personal not in report.body


def test_without_admins_a_server_error_is_only_logged(client, db, settings, a_page_that_breaks, caplog):
    settings.ADMINS = []
    client.raise_request_exception = False

    response = client.get(f"/status/{SECRET_LINK}/broken/")

    assert response.status_code == 500
    assert mail.outbox == []
    assert "the page broke" in caplog.text


def test_a_503_answered_on_purpose_is_logged_not_mailed(client, db, settings, a_page_that_breaks, caplog):
    settings.ADMINS = [("Ops", "ops@example.com")]

    response = client.get("/unavailable/")

    assert response.status_code == 503
    assert "Service Unavailable: /unavailable/" in caplog.text
    assert mail.outbox == []


def test_admins_are_read_from_the_environment_with_their_names():
    result = run_django(
        "-c",
        "import django; django.setup(); from django.conf import settings; print(settings.ADMINS)",
        env={**PRODUCTION_ENV, "ADMINS": "Ops <ops@example.com>, dev@example.com"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('Ops', 'ops@example.com'), ('', 'dev@example.com')]"


SENTRY_ENV = {
    **PRODUCTION_ENV,
    "SENTRY_DSN": "https://public-key@127.0.0.1:9/42",
    "ADMINS": "ops@example.com",
}


@pytest.mark.long
def test_with_a_sentry_dsn_errors_go_to_sentry_without_personal_data():
    pytest.importorskip("sentry_sdk")
    show = (
        "import django; django.setup(); import logging, sentry_sdk; from django.conf import settings;"
        "client = sentry_sdk.get_client(); options = client.options;"
        "print(client.dsn, options['send_default_pii'], options['max_request_body_size'],"
        " options['include_local_variables'], settings.LOGGING['loggers']['django.request']['handlers'])"
    )

    result = run_django("-c", show, env=SENTRY_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://public-key@127.0.0.1:9/42", "False", "never", "False", "[]"]


def test_a_sentry_dsn_without_sentry_sdk_stops_the_start_with_what_to_install():
    # sys.modules[name] = None makes importing it fail, as on a machine without the package.
    start = "import sys; sys.modules['sentry_sdk'] = None; import django; django.setup()"

    result = run_django("-c", start, env=SENTRY_ENV)

    assert result.returncode != 0
    assert "SENTRY_DSN is set but sentry-sdk is not installed: pip install '.[sentry]'" in result.stderr
