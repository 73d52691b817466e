"""When every connection of a web process's pool is busy for longer than DATABASE_POOL_TIMEOUT
(a burst of load), a request gets "busy, try again in a moment": 503 with Retry-After (a short
page in the visitor's language, JSON for the API), not a server error; and a request that needs
no row (the chat's typing heartbeat) is served all the same. Through the production ASGI
application (config.asgi, pool per process), with its only connection held."""

import json
import subprocess

import pytest
from django.db import connection

from helpdesk import chat_live
from helpdesk.channels import chat as chat_channel
from tests.production_process import production_with_redis_or_skip, run_in_production_process, session_of

# The production set-up shares its cache and its live events through Redis.
TEST_REDIS = "redis://127.0.0.1:6379/9"

# A process holding its pool's only connection while it asks a page, the API and an agent's page
# (signed in: the session cookie in its argument), through the ASGI application as uvicorn calls
# it; prints each answer's status, headers and body.
SERVE = """
import asyncio, json, sys
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
            await call(application, "/agent/", headers=[(b"cookie", f"sessionid={sys.argv[1]}".encode())]),
        ]
    finally:
        pool.putconn(held)

print(json.dumps(asyncio.run(main())))
"""


def with_one_pooled_connection(script: str, argument: str, **environment) -> subprocess.CompletedProcess:
    """`script` in a process of its own with the production settings and a pool of one connection
    that waits half a second for it; it must succeed."""
    return run_in_production_process(
        script, argument, DATABASE_POOL_SIZE="1", DATABASE_POOL_TIMEOUT="0.5", **environment
    )


@pytest.mark.django_db(transaction=True)
def test_a_request_finding_every_pooled_connection_busy_is_asked_to_come_back(agent):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL question: run with DATABASE_URL=postgres://…")
    result = with_one_pooled_connection(SERVE, session_of(agent))
    page, api, agents_page = json.loads(result.stdout.strip().splitlines()[-1])

    assert page["status"] == 503
    assert int(page["headers"]["retry-after"]) > 0
    assert page["headers"]["content-type"].startswith("text/html")
    assert "nagyon sok a dolgunk" in page["body"]  # Hungarian, as the visitor's browser asked

    assert api["status"] == 503
    assert int(api["headers"]["retry-after"]) > 0
    assert "detail" in json.loads(api["body"])

    # Signed in, the page that says so reads nothing of the session it could not read either.
    assert agents_page["status"] == 503, result.stderr[-3000:]
    assert int(agents_page["headers"]["retry-after"]) > 0

    # Logged as warnings, not errors: an error mails ADMINS, once per request of the burst.
    assert "ERROR" not in result.stderr, result.stderr[-3000:]
    assert result.stderr.count("WARNING") == 3


# The same process, serving the chat's typing heartbeats (the customer's page, and the agent's
# with its session cookie) while it follows the chat as the other side's page would; prints each
# answer's status, then the events the chat's followers were told.
TYPING = """
import asyncio, json, sys
from config.asgi import application
from django.db import connections
from helpdesk import live
from tests.asgi_calls import call

chat_id, customer_key, agent_key, session = json.loads(sys.argv[1])
CSRF = "typingtest" + "x" * 22

async def typing(key, cookies):
    return await call(
        application,
        "/chat/typing/",
        method="POST",
        headers=[
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"cookie", f"csrftoken={CSRF}; {cookies}".encode()),
            (b"x-csrftoken", CSRF.encode()),
        ],
        body=f"key={key}".encode(),
    )

async def main():
    pool = connections["default"].pool
    pool.open(wait=True)
    held = pool.getconn()  # the pool's one connection, busy with a long request elsewhere
    followers = live.hub().subscribe([f"chat:{chat_id}"])
    try:
        answers = [await typing(customer_key, ""), await typing(agent_key, f"sessionid={session}")]
    finally:
        pool.putconn(held)
    told = [followers.get(timeout=5) for _ in answers]
    return [answer["status"] for answer in answers], [event and event.data["side"] for event in told]

print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.django_db(transaction=True)
def test_a_typing_heartbeat_is_served_while_every_pooled_connection_is_busy(queue, agent):
    production_with_redis_or_skip(TEST_REDIS)
    chat = chat_channel.start_chat(
        queue=queue, name="Katalin Szabó", email="", message="Hello", source_ip=None
    )
    chat.join(agent)
    keys = [chat_live.typing_key(chat, "customer"), chat_live.typing_key(chat, "agent")]
    page = [chat.pk, *keys, session_of(agent)]
    result = with_one_pooled_connection(TYPING, json.dumps(page), REDIS_URL=TEST_REDIS)
    statuses, told = json.loads(result.stdout.strip().splitlines()[-1])

    assert statuses == [204, 204], result.stderr[-6000:]
    assert told == ["customer", "agent"]  # each side's page is told the other is typing
