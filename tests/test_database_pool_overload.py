"""When every connection of a web process's pool is busy for longer than DATABASE_POOL_TIMEOUT
(a burst of load), a request gets "busy, try again in a moment": 503 with Retry-After (a short
page in the visitor's language, JSON for the API), not a server error. Through the production
ASGI application (config.asgi, pool per process), with its only connection held."""

import json
import subprocess
import sys

import pytest
from django.db import connection

from tests.helpdesk.test_worker import PROJECT, database_url_of_test_database

# A process holding its pool's only connection while it asks a page and the API, through the
# ASGI application as uvicorn calls it; prints each answer's status, headers and body.
SERVE = """
import asyncio, json
from config.asgi import application
from django.db import connections
from tests.asgi_calls import call

async def main():
    pool = connections["default"].pool
    pool.open(wait=True)
    held = pool.getconn()  # the pool's one connection, busy with a long request elsewhere
    try:
        return [
            await call(application, "/status/no-such-link/", headers=[(b"accept-language", b"hu")]),
            await call(application, "/api/tickets/HD-1/", headers=[(b"authorization", b"Bearer no-such-token")]),
        ]
    finally:
        pool.putconn(held)

print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.django_db(transaction=True)
def test_a_request_finding_every_pooled_connection_busy_is_asked_to_come_back():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL question: run with DATABASE_URL=postgres://…")
    result = subprocess.run(
        [sys.executable, "-c", SERVE],
        cwd=PROJECT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url_of_test_database(),
            "DATABASE_POOL_SIZE": "1",
            "DATABASE_POOL_TIMEOUT": "0.5",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    page, api = json.loads(result.stdout.strip().splitlines()[-1])

    assert page["status"] == 503
    assert int(page["headers"]["retry-after"]) > 0
    assert page["headers"]["content-type"].startswith("text/html")
    assert "nagyon sok a dolgunk" in page["body"]  # Hungarian, as the visitor's browser asked

    assert api["status"] == 503
    assert int(api["headers"]["retry-after"]) > 0
    assert "detail" in json.loads(api["body"])
