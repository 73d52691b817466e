"""A site with Redis keeps the staff's sessions in the shared cache, written through to the
database (config/settings.py): a signed-in request reads no session row, and a session still
ends everywhere when it should (signing out, a new password, a deactivation), and outlives the
cache."""

import re

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helpdesk.models import Notification
from tests.conftest import STAFF_PASSWORD

TEST_REDIS = "redis://127.0.0.1:6379/8"
SESSION_KEYS = "*django.contrib.sessions.cached*"
COOKIE = "sessionid"


@pytest.fixture(autouse=True)
def sessions_in_redis(settings):
    """As config.settings has it with REDIS_URL; the test Redis database's sessions are
    forgotten before and after, one test at a time."""
    client = redis.Redis.from_url(TEST_REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"sessions in Redis need Redis at {TEST_REDIS}")

    def forget():
        for key in client.scan_iter(SESSION_KEYS):
            client.delete(key)

    with client.lock("tests:sessions", timeout=120, blocking_timeout=120):
        forget()
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": TEST_REDIS}
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        yield forget
        forget()


def signed_in(username: str, password: str = STAFF_PASSWORD) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": password}).status_code == 302
    return client


def same_browser(client: Client) -> Client:
    """A copy of the session's cookie (one the browser kept, or one taken): the same session."""
    copy = Client()
    copy.cookies[COOKIE] = client.cookies[COOKIE].value
    return copy


def test_a_signed_in_request_reads_its_session_from_the_cache(agent):
    client = signed_in("anna")

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/agent/").status_code == 200

    assert not [query for query in queries if "django_session" in query["sql"]]


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(agent):
    client = signed_in("anna")
    other_tab = same_browser(client)
    assert other_tab.get("/agent/").status_code == 200

    client.post("/accounts/logout/")

    assert other_tab.get("/agent/").status_code == 302


def test_a_new_password_signs_out_the_sessions_signed_in_with_the_old_one(agent, manager):
    at_work = signed_in("anna")
    signed_in("marek").post(f"/manage/staff/{agent.pk}/password-link/")
    mail = Notification.objects.get(kind=Notification.Kind.PASSWORD_LINK)
    link = re.search(r"http://\S+", mail.body_text).group(0).removeprefix("http://127.0.0.1:8000")

    at_home = Client()
    form = at_home.get(link, follow=True)
    saved = at_home.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new secret 42", "new_password2": "a long new secret 42"},
        follow=True,
    )

    assert "Your password is saved" in saved.text
    assert at_work.get("/agent/").status_code == 302
    assert signed_in("anna", "a long new secret 42").get("/agent/").status_code == 200


def test_a_deactivated_agent_is_signed_out(agent, manager):
    at_work = signed_in("anna")

    signed_in("marek").post(f"/manage/staff/{agent.pk}/deactivate/")

    assert at_work.get("/agent/").status_code == 302


def test_a_session_outlives_the_cache(agent, sessions_in_redis):
    client = signed_in("anna")

    sessions_in_redis()  # Redis restarted empty, or the session evicted

    assert client.get("/agent/").status_code == 200
