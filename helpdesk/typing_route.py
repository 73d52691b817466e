"""The chat's typing heartbeat, answered before Django's request handling when served by ASGI.

A page with push sends `POST /chat/typing/` at once and every few seconds while someone types:
about two of every three requests of a busy chat service. Its work is a signed key read and a
few cache calls (helpdesk.views.chat.chat_typing); through Django's ASGI handler the same request
cost about 3.6 ms of CPU, nearly all of it the middleware chain moving between the event loop
and threads, against 0.3 ms here (docs/performance.md). What the middleware would add is not
needed: no session, user, template, language or cookie is read, the answer is an empty 204, and
the key the server signed into that chat's page is the only credential (a page elsewhere cannot
know it, so there is nothing to forge across sites: the Django view is exempt from CSRF too).

The same request through WSGI (the development server, the tests' live server) reaches the Django
view, which does the same through the same function, `heartbeat`.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from helpdesk import chat_live
from helpdesk.models.chat import typing_heartbeat

logger = logging.getLogger(__name__)

# A key is about 100 bytes; anything much longer is not a heartbeat.
MAX_BODY = 2048
RETRY_AFTER_SECONDS = 5


def heartbeat(key: str) -> bool:
    """Tell the other side of the key's chat that this side is typing; False for a bad key."""
    heard = chat_live.read_typing_key(key)
    if heard is None:
        return False
    chat_id, side, name = heard
    typing_heartbeat(chat_id=chat_id, side=side, name=name, typing=True, now=timezone.now())
    return True


def _heartbeat_from(body: bytes) -> int:
    """The status to answer for a request body (in a thread of its own: the cache is blocking)."""
    try:
        key = parse_qs(body.decode("latin-1")).get("key", [""])[0]
        return 204 if heartbeat(key) else 400
    except Exception:
        logger.exception("typing heartbeat: not told")
        return 503
    finally:
        # Without Redis the event goes by PostgreSQL's NOTIFY on this thread's connection.
        connections.close_all()


async def _read_body(receive) -> bytes | None:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if len(body) > MAX_BODY:
            return b""
        if not message.get("more_body"):
            return body


async def _answer(send, status: int) -> None:
    headers = [(b"cache-control", b"no-store"), (b"content-length", b"0")]
    if status == 503:
        headers.append((b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def typing_first(django_application):
    """The ASGI application: the typing heartbeat here, everything else to Django."""
    path = reverse("helpdesk:chat-typing")

    async def application(scope, receive, send):
        if scope["type"] != "http" or scope["path"] != path or scope["method"] != "POST":
            return await django_application(scope, receive, send)
        body = await _read_body(receive)
        if body is None:
            return None  # the page went away
        status = await sync_to_async(_heartbeat_from, thread_sensitive=False)(body) if body else 400
        return await _answer(send, status)

    return application
