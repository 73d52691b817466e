"""The chat's typing heartbeat served by ASGI (the production server) is answered before Django's
request handling (helpdesk/typing_route.py), with the answers the Django view gives: told for a key
the site signed, refused otherwise, no cookie needed."""

import asyncio
import json
import os
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpdesk import chat_live
from helpdesk.channels import chat as chat_channel
from tests.asgi_calls import call
from tests.helpdesk.live.streams import Stream
from tests.production_process import production_with_redis_or_skip, run_in_production_process

pytestmark = pytest.mark.usefixtures("short_streams")

# The production set-up's cache, in Redis (a database of this module's own).
TEST_REDIS = "redis://127.0.0.1:6379/6"


@pytest.fixture
def chat(queue, agent):
    chat = chat_channel.start_chat(
        queue=queue,
        name="Katalin Szabó",
        email="katalin@example.hu",
        message="My bill doubled.",
        source_ip=None,
    )
    chat.join(agent)
    return chat


def typing_key_of(client, chat) -> str:
    page = client.get(reverse("helpdesk:chat-room", args=[chat.token])).content.decode()
    return re.search(r'data-typing-key="([^"]+)"', page).group(1)


@pytest.fixture
def application(monkeypatch):
    """The production ASGI application, in this process. Importing config.asgi turns the pool on
    for the process (os.environ's DATABASE_POOL), and a process a later test starts (a worker)
    would inherit it: the variable is put back as it was after the test."""
    monkeypatch.setenv("DATABASE_POOL", os.environ.get("DATABASE_POOL", "0"))
    from config.asgi import application

    return application


def heartbeat(application, body: bytes, *, method="POST"):
    """The request as the production server hands it over: no cookie, no CSRF token."""
    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    return asyncio.run(
        call(application, reverse("helpdesk:chat-typing"), method=method, headers=headers, body=body)
    )


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_by_the_pages_key_tells_the_agent_without_a_cookie(application, client, chat, agent):
    key = typing_key_of(client, chat)
    agent_client = Client()
    agent_client.force_login(agent)
    stream = Stream(agent_client.get(reverse("helpdesk:live-staff"), {"channel": f"chat:{chat.pk}"}))
    stream.next_message()  # ready

    answer = heartbeat(application, urlencode({"key": key}).encode())

    assert answer["status"] == 204
    assert answer["headers"]["cache-control"] == "no-store"
    # Answered before Django's middleware, which adds X-Frame-Options to every answer it gives.
    assert "x-frame-options" not in answer["headers"]
    event = stream.next_event()
    assert (event["name"], event["data"]["side"], event["data"]["name"]) == (
        "typing",
        "customer",
        "Katalin Szabó",
    )
    assert chat.customer_is_typing(timezone.now())
    stream.close()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"key=",
        urlencode({"key": "W1sxLCJhZ2VudCIsIkFubmEiXQ:forged:signature"}).encode(),
        b"key=" + b"x" * 5000,  # not a heartbeat
    ],
)
def test_a_heartbeat_without_a_key_the_site_signed_is_refused(application, chat, body):
    assert heartbeat(application, body)["status"] == 400
    assert not chat.customer_is_typing(timezone.now())


def test_anything_but_a_post_goes_on_to_django(application, chat):
    assert heartbeat(application, b"", method="GET")["status"] == 405


def test_the_django_view_needs_no_csrf_token_either(chat):
    """Through WSGI (the development server) the same request reaches the Django view: the key,
    not a cookie, is what it trusts, so both servers answer alike."""
    key = typing_key_of(Client(), chat)
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(reverse("helpdesk:chat-typing"), {"key": key}).status_code == 204
    assert chat.customer_is_typing(timezone.now())


# A production process answering a page's heartbeats as uvicorn hands them over, each request in
# a task of its own (a context of its own), with the cache in Redis; prints the answers and how
# many Redis connection pools it made for them.
HEARTBEATS = """
import asyncio, json, sys
import redis
from config.asgi import application
from tests.asgi_calls import call

pools = []
from_url = redis.ConnectionPool.from_url.__func__
redis.ConnectionPool.from_url = classmethod(lambda cls, *a, **k: pools.append(1) or from_url(cls, *a, **k))

async def heartbeat():
    body = f"key={sys.argv[1]}".encode()
    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    return (await call(application, "/chat/typing/", method="POST", headers=headers, body=body))["status"]

async def main():
    return [await asyncio.create_task(heartbeat()) for _ in range(20)]

print(json.dumps({"statuses": asyncio.run(main()), "pools": len(pools)}))
"""


@pytest.mark.django_db(transaction=True)
def test_heartbeats_share_the_process_s_redis_connections(chat):
    """Each heartbeat made a cache object, and with it a Redis connection pool, of its own: 201
    connections for 200 heartbeats to one web worker."""
    production_with_redis_or_skip(TEST_REDIS)
    key = chat_live.typing_key(chat, "customer")
    result = run_in_production_process(HEARTBEATS, key, REDIS_URL=TEST_REDIS)
    served = json.loads(result.stdout.strip().splitlines()[-1])

    assert served["statuses"] == [204] * 20
    assert served["pools"] <= 2  # the cache's, and the live events' (telling the agent's page)
