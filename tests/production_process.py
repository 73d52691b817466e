"""A script in a process of its own with the production settings (config.settings), for the tests
of what only the production application does (config.asgi: the pool per process, the routing)."""

import subprocess
import sys

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.helpdesk.test_worker import PROJECT, database_url_of_test_database


def run_in_production_process(
    script: str, *arguments: str, **environment: str
) -> subprocess.CompletedProcess:
    """`script` in a process of its own with the production settings on the test database (and
    `environment` besides); it must succeed."""
    result = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        cwd=PROJECT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": database_url_of_test_database(),
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def session_of(user) -> str:
    """The session cookie's value of `user` signed in, for a request made in such a process."""
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in.cookies[settings.SESSION_COOKIE_NAME].value


def production_with_redis_or_skip(redis_url: str) -> None:
    """The production set-up needs PostgreSQL (its pool) and, with REDIS_URL, a Redis server."""
    if connection.vendor != "postgresql":
        pytest.skip("the production application: run with DATABASE_URL=postgres://…")
    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.ConnectionError:
        pytest.skip(f"the production set-up's cache and events need Redis at {redis_url}")
