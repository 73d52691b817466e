"""The application the production web server runs (gunicorn with uvicorn workers).

Three ways in, by path:
- the chat's typing heartbeat, answered before Django (helpdesk/typing_route.py);
- the push channel's streams (`/events/…`, helpdesk/views/live.py), thousands held open at once:
  Django's ASGI handler, each stream a coroutine in the event loop;
- every other request, a page, a form, the API: Django's WSGI handler, in a thread of a pool of
  `WEB_THREADS` (by default as many as the pool has connections). The views
  and the middleware's hooks are synchronous: under the ASGI handler each such request crossed
  between the event loop and threads about eighteen times, each crossing copying the request's
  context, and cost 4 to 5 ms of CPU more (the health page: 5.5–6.1 ms against
  1.2–1.3 ms in one thread; docs/performance.md). Here it crosses once.
"""

import gc
import os

from a2wsgi import WSGIMiddleware
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Connections from a pool per process, not one per request's thread (config/settings.py).
os.environ.setdefault("DATABASE_POOL", "1")

# The cyclic garbage collector's youngest generation is collected after this many new objects
# (Python's default: 700). A web process holding some 300 open streams keeps about 300,000 objects
# (each stream's request, contexts and coroutines); with the default, each young collection
# promoted the objects of the requests then under way, so often that a full collection, which walks
# every object, came every few seconds, and it froze the whole process, its streams and its pages,
# for 0.1-0.4 s of CPU (up to 1.3 s on two busy cores). Those were the slowest chat lines of
# `make loadtest`; at 10,000 no full collection came in a five-minute run at full size
# (docs/performance.md). The full collection's own rule (objects promoted since the last one
# above a quarter of those it kept) still bounds the memory garbage can hold.
YOUNG_GENERATION_THRESHOLD = 10_000
gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])

streams_application = get_asgi_application()

# Imported once Django is set up (get_asgi_application does it).
from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from config.env import env_int  # noqa: E402
from helpdesk.typing_route import typing_first  # noqa: E402

STREAMS = "/events/"


def _threads() -> int:
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    return env_int("WEB_THREADS", pool["max_size"] if isinstance(pool, dict) else 10)


# Django's ASGI handler's piece size: a file's 4 KB blocks (FileResponse) or a CSV's rows go out
# this many bytes at a time.
PIECE = 64 * 1024


def in_large_pieces(wsgi_application):
    """The response's body in pieces of at least PIECE bytes: each piece crosses from the pool's
    thread to the event loop, and a 10 MB attachment in FileResponse's 4 KB blocks cost 0.20 s of
    CPU in crossings, 0.017 s in 64 KB pieces. Nothing that waits on its pieces comes this way (the
    streams go to the ASGI handler)."""

    def application(environ, start_response):
        body = wsgi_application(environ, start_response)
        try:
            pieces, size = [], 0
            for piece in body:
                pieces.append(piece)
                size += len(piece)
                if size >= PIECE:
                    yield b"".join(pieces)
                    pieces, size = [], 0
            if pieces:
                yield b"".join(pieces)
        finally:
            if hasattr(body, "close"):
                body.close()  # Django's request_finished: the connection goes back to the pool

    return application


pages_application = WSGIMiddleware(in_large_pieces(get_wsgi_application()), workers=_threads())


def _for_pages(scope) -> bool:
    if scope["type"] != "http" or scope["path"].startswith(STREAMS):
        return False
    # Django's WSGI handler reads as many bytes as the body's stated length: a body sent in chunks
    # without one (rare: nginx states it) goes to the ASGI handler, which reads it to its end.
    return all(name != b"transfer-encoding" for name, _ in scope["headers"])


async def _by_path(scope, receive, send):
    if _for_pages(scope):
        return await pages_application(scope, receive, send)
    return await streams_application(scope, receive, send)


application = typing_first(_by_path)
