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

async def one(path, headers):
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": [(b"host", b"127.0.0.1"), *headers],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    sent, answer = [{"type": "http.request", "body": b"", "more_body": False}], {"body": ""}
    async def receive():
        if sent:
            return sent.pop()
        await asyncio.sleep(3600)
    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"").decode()
    await application(scope, receive, send)
    return answer

async def main():
    pool = connections["default"].pool
    pool.open(wait=True)
    held = pool.getconn()  # the pool's one connection, busy with a long request elsewhere
    try:
        return [
            await one("/status/no-such-link/", [(b"accept-language", b"hu")]),
            await one("/api/tickets/HD-1/", [(b"authorization", b"Bearer no-such-token")]),
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
