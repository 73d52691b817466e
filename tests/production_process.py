"""A script in a process of its own with the production settings (config.settings), for the tests
of what only the production application does (config.asgi: the pool per process, the routing)."""

import subprocess
import sys

from django.conf import settings
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
