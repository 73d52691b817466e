"""The production web server (config.asgi) runs each request's code in a thread of its own. With a
persistent connection per thread, every request opened a PostgreSQL connection that was never
reused nor closed: `make loadtest` ran PostgreSQL out of connections ("too many clients") with 20
open chats. The ASGI application takes its connections from a pool per process instead."""

import subprocess
import sys

import pytest
from django.db import connection

from tests.helpdesk.test_worker import PROJECT, database_url_of_test_database

REQUESTS = 30
POOL_SIZE = 3

# A process serving REQUESTS requests one after the other through the ASGI application, as
# uvicorn calls it, then printing how many connections it holds to the database.
SERVE = """
import asyncio, os, psycopg
from config.asgi import application
from tests.asgi_calls import call

async def main():
    return [(await call(application, "/healthz"))["status"] for _ in range(%(requests)d)]

statuses = asyncio.run(main())
with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as probe:
    held = probe.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = 'asgi-connections-test' AND pid <> pg_backend_pid()"
    ).fetchone()[0]
print(sorted(set(statuses)), held)
"""


@pytest.mark.django_db(transaction=True)
def test_requests_to_the_asgi_application_share_a_few_connections():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL question: run with DATABASE_URL=postgres://…")
    url = database_url_of_test_database() + "?application_name=asgi-connections-test"
    result = subprocess.run(
        [sys.executable, "-c", SERVE % {"requests": REQUESTS}],
        cwd=PROJECT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "DATABASE_URL": url,
            "DATABASE_POOL_SIZE": str(POOL_SIZE),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    statuses, held = result.stdout.split("]")
    assert statuses.strip("[") in {"200", "503"}  # answered (503: no worker heartbeat here)
    assert 1 <= int(held) <= POOL_SIZE
