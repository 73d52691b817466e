"""The production application (config.asgi) hands a page, a form or the API to Django's WSGI
handler in one thread of a pool, and only the push channel's streams (/events/) to Django's ASGI
handler. Under the ASGI handler an ordinary request crossed between the event loop and threads
at each middleware hook, about eighteen times, each crossing copying the request's context: 4 to
5 ms of CPU a request more (docs/performance.md)."""

import json
import os

import pytest
from django.conf import settings
from django.db import connection

from tests.production_process import run_in_production_process, session_of

# A process serving a signed-in agent's queue page, a form's POST (also sent in chunks) and a
# stream's address through the ASGI application as uvicorn calls it, counting asgiref's crossings
# between the event loop and threads for each; prints each answer's status, its language cookie
# and the crossings.
SERVE = """
import asyncio, json, sys
from asgiref import sync
from config.asgi import application
from tests.asgi_calls import call

crossings = []
for adapter in (sync.SyncToAsync, sync.AsyncToSync):
    def counted(original):
        if sync.iscoroutinefunction(original):
            async def crossing(self, *args, **kwargs):
                crossings.append(1)
                return await original(self, *args, **kwargs)
        else:
            def crossing(self, *args, **kwargs):
                crossings.append(1)
                return original(self, *args, **kwargs)
        return crossing
    adapter.__call__ = counted(adapter.__call__)

CSRF = "routingtest" + "x" * 21
session = f"sessionid={sys.argv[1]}; csrftoken={CSRF}".encode()
form = [
    (b"cookie", session),
    (b"x-csrftoken", CSRF.encode()),
    (b"content-type", b"application/x-www-form-urlencoded"),
]

async def counting(path, **request):
    crossings.clear()
    answer = await call(application, path, **request)
    cookie = answer.get("headers", {}).get("set-cookie", "")
    return {"status": answer["status"], "cookie": cookie.split(";")[0], "crossings": len(crossings)}

async def main():
    return {
        "page": await counting("/agent/", headers=[(b"cookie", session)]),
        "form": await counting("/i18n/setlang/", method="POST", headers=form, body=b"language=pl"),
        "chunked form": await counting(
            "/i18n/setlang/", method="POST", headers=[*form, (b"transfer-encoding", b"chunked")], body=b"language=hu"
        ),
        "stream": await counting("/events/lobby/no-such-branch/"),
    }

print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.django_db(transaction=True)
def test_pages_and_forms_run_in_one_thread_and_streams_in_the_event_loop(agent):
    if connection.vendor != "postgresql":
        pytest.skip("the production application: run with DATABASE_URL=postgres://…")
    result = run_in_production_process(SERVE, session_of(agent))
    answers = json.loads(result.stdout.strip().splitlines()[-1])

    # The agent's queue page: signed in (session, user, roles), drawn, without one crossing.
    assert answers["page"]["status"] == 200
    assert answers["page"]["crossings"] == 0
    # A form's body reaches the view: the language it chose comes back as its cookie.
    assert answers["form"]["status"] == 302
    assert answers["form"]["cookie"] == f"{settings.LANGUAGE_COOKIE_NAME}=pl"
    assert answers["form"]["crossings"] == 0
    # A body sent in chunks, without its length, is read to its end all the same.
    assert answers["chunked form"]["status"] == 302
    assert answers["chunked form"]["cookie"] == f"{settings.LANGUAGE_COOKIE_NAME}=hu"
    # A stream's address goes to Django's ASGI handler (here: no such lobby, 404).
    assert answers["stream"]["status"] == 404
    assert answers["stream"]["crossings"] > 0


def test_a_web_process_collects_its_young_objects_seldom_enough_to_spare_its_streams_full_collections():
    """With Python's default (a young collection every 700 new objects) a process holding some
    300 open streams made a full collection every few seconds under load, each freezing all its
    streams and pages for 0.1-0.4 s of CPU: the slowest lines of `make loadtest`."""
    result = run_in_production_process("import gc, config.asgi; print(*gc.get_threshold())")

    young, middle, old = map(int, result.stdout.split()[-3:])
    assert young == 10_000
    assert (middle, old) == (10, 10)  # Python's own


def test_a_body_goes_out_in_large_pieces_and_its_response_is_closed(monkeypatch):
    """A file's 4 KB blocks would each cross from the pool's thread to the event loop."""
    monkeypatch.setenv("DATABASE_POOL", os.environ.get("DATABASE_POOL", "0"))  # config.asgi sets it
    from config.asgi import PIECE, in_large_pieces

    closed = []

    class Blocks(list):
        def close(self):
            closed.append(True)

    def file_like(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return Blocks([b"x" * 4096] * 40)  # 160 KB in FileResponse's blocks

    started = []
    pieces = list(in_large_pieces(file_like)({}, lambda status, headers: started.append(status)))

    assert started == ["200 OK"]
    assert b"".join(pieces) == b"x" * 4096 * 40
    assert [len(piece) for piece in pieces] == [PIECE, PIECE, 4096 * 40 - 2 * PIECE]
    assert closed == [True]
