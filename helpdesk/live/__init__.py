"""Live pages: the server tells an open page that something it shows has changed.

The code that makes a change calls `publish(channel, event)`; once its transaction commits, every
page subscribed to that channel ("chat:12", "queue:3", "agent:5"), on whichever web process,
receives the event through a server-sent events stream (helpdesk/views/live.py). The page then
fetches what changed with the request it already makes when polling, so it draws the same thing
whether pushed or polled; an event that carries what changed (a chat line, "typing":
helpdesk.chat_live) is shown without asking. A page that (re)connects says the last event it saw;
when its channels have had one since (`Hub.missed`), it catches up by asking once: the state is
re-read from the database ("the lines after the one I show"), never replayed from memory.

Across processes the events travel by Redis pub/sub when REDIS_URL is set, else by PostgreSQL's
LISTEN/NOTIFY. On SQLite (`make run`: the development server is one process) they stay inside
the process. Each process has one listener, whatever the number of open pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import queue
import threading
from collections import defaultdict

from django.conf import settings
from django.db import connections, transaction
from django.urls import reverse

from helpdesk.live.events import Event
from helpdesk.live.transports import LocalTransport, PostgresTransport, RedisTransport

logger = logging.getLogger(__name__)


def publish(channel: str, event: str, data: dict | None = None) -> None:
    """Tell the pages showing `channel` that `event` happened, once the change is committed (a
    rolled-back change tells nobody). A failure to tell is logged, never the change's failure:
    the pages' fallback poll still brings it."""
    if not settings.LIVE_PUSH:
        return
    gathered = _gathered.get()
    if gathered is not None:
        gathered.setdefault((channel, event, json.dumps(data or {}, sort_keys=True)), (channel, event, data))
        return
    database = transaction.get_connection()
    if database.connection is None and not database.in_atomic_block:
        # No connection, so no transaction to wait for: told at once. Asking on_commit would
        # take a connection from the pool only to learn that (the typing heartbeat, which reads
        # no row, was answered 503 when the pool was busy).
        _send_robustly(channel, event, data or {})
        return
    transaction.on_commit(lambda: send(channel, event, data or {}), robust=True)


def _send_robustly(channel: str, event: str, data: dict) -> None:
    try:
        send(channel, event, data)
    except Exception:
        logger.exception("live events: could not tell %s of %s", channel, event)


# The events published inside `told_once`, by what they say.
_gathered: contextvars.ContextVar[dict | None] = contextvars.ContextVar("live_gathered", default=None)


@contextlib.contextmanager
def told_once():
    """Inside it, each distinct event is published once, at its end: a page fetches the whole of
    what it shows on any event, so a batch of 25 requests of one queue changed together (a bulk
    change) makes its queue's pages look once, not 25 times. Use it inside the transaction that
    makes the changes: an error leaves it telling nobody, as the transaction rolls back."""
    if _gathered.get() is not None:  # already gathering: the outer one tells
        yield
        return
    gathered: dict = {}
    token = _gathered.set(gathered)
    try:
        yield
    finally:
        _gathered.reset(token)
    for channel, event, data in gathered.values():
        publish(channel, event, data)


def send(channel: str, name: str, data: dict) -> None:
    """At once, outside any transaction: `publish` is the way for a change."""
    hub().transport.send(Event(id=next_event_id(), channel=channel, name=name, data=data))


def access_channel(user_id: int) -> str:
    """The channel every stream of a staff member also follows, and no page may name: an event on
    it ends them (`end_streams_of`)."""
    return f"access:{user_id}"


def end_streams_of(user) -> None:
    """End the open streams of `user`'s pages, on every web process, once the change commits: they
    were opened with rights now taken away or changed (signed out, deactivated, another role), and
    a chat's events carry what customers write. The pages reconnect, and the new request is
    checked as any other."""
    publish(access_channel(user.pk), "ended")


def live_stream(url: str) -> dict | None:
    """What a page's template needs to open its push channel (templates/…/live_stream.html)."""
    if not settings.LIVE_PUSH:
        return None
    return {
        "url": url,
        "connected_poll_seconds": settings.LIVE_CONNECTED_POLL_SECONDS,
        "since": last_event_id(),
    }


def staff_stream() -> dict | None:
    """An agent's page: the page's script adds the channels its live parts show."""
    return live_stream(reverse("helpdesk:live-staff"))


def last_event_id() -> int:
    """The newest event's id: a page drawn now has seen everything up to it. (Per process when
    the ids come from a cache of the process, so then two ids compare only as "maybe something
    happened".)"""
    return hub().transport.last_event_id()


def next_event_id() -> int:
    """Increasing ids: shared by every process with Redis, per process otherwise."""
    return hub().transport.next_event_id()


class Subscription:
    """One open page's share of the events: a queue its stream reads, synchronously (the
    development server's threads) or in an event loop (an ASGI server)."""

    def __init__(self, channels, loop: asyncio.AbstractEventLoop | None = None):
        self.channels = frozenset(channels)
        self._loop = loop
        self._queue = asyncio.Queue() if loop else queue.SimpleQueue()

    def put(self, event: Event) -> None:
        if self._loop is None:
            self._queue.put(event)
            return
        # A closed loop: the page has gone, nobody is reading any more.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._queue.put_nowait, event)

    def get(self, timeout: float) -> Event | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    async def aget(self, timeout: float) -> Event | None:
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


class Hub:
    """This process's open pages by channel, fed by the transport's listener."""

    def __init__(self, transport):
        self.transport = transport
        self._lock = threading.Lock()
        self._by_channel: dict[str, set[Subscription]] = defaultdict(set)
        self._listening = False
        # The newest event of each channel this process has heard, and the newest event there
        # was when it began listening: before that it cannot tell.
        self._last_by_channel: dict[str, int] = {}
        self._listening_since: int | None = None
        self._stopping = threading.Event()
        self._listener: threading.Thread | None = None

    def subscribe(self, channels, loop=None) -> Subscription:
        self._listen()
        subscription = Subscription(channels, loop)
        with self._lock:
            for channel in subscription.channels:
                self._by_channel[channel].add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            for channel in subscription.channels:
                self._by_channel[channel].discard(subscription)
                if not self._by_channel[channel]:
                    del self._by_channel[channel]

    def deliver(self, event: Event) -> None:
        with self._lock:
            self._last_by_channel[event.channel] = max(event.id, self._last_by_channel.get(event.channel, 0))
            subscriptions = list(self._by_channel.get(event.channel, ()))
        for subscription in subscriptions:
            subscription.put(event)

    def missed(self, channels, last_seen: int | None) -> bool:
        """Whether a page that saw events up to `last_seen` has missed one on its channels. When
        in doubt (it names none, or saw one from before this process listened), yes. Event ids
        count across processes only with a shared cache (Redis): otherwise, any newer id at all."""
        if last_seen is None or self._listening_since is None or last_seen < self._listening_since:
            return True
        if not _ids_shared():
            return last_seen != last_event_id()
        with self._lock:
            return any(self._last_by_channel.get(channel, 0) > last_seen for channel in channels)

    def _listen(self) -> None:
        """The listener starts with the first page; a page waits (briefly) until it listens, so
        nothing published after its stream opened can pass it by."""
        with self._lock:
            if self._listening:
                return
            self._listening = True
            self._listening_since = last_event_id()
        ready = threading.Event()
        self._listener = threading.Thread(
            target=self.transport.listen,
            args=(self.deliver, ready, self._stopping),
            name="live-listener",
            daemon=True,
        )
        self._listener.start()
        ready.wait(timeout=5)

    def stop(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            self._listener.join(timeout=5)
        self.transport.close()


_hub: Hub | None = None
_hub_lock = threading.Lock()


def hub() -> Hub:
    global _hub
    with _hub_lock:
        if _hub is None:
            _hub = Hub(_transport())
            _hub.transport.hub = _hub
        return _hub


def stop() -> None:
    """Closes this process's connections (the test suite's end: a test database with a listener
    still connected could not be dropped)."""
    global _hub
    with _hub_lock:
        if _hub is not None:
            _hub.stop()
            _hub = None


def _ids_shared() -> bool:
    """One sequence of event ids for every process: with Redis (its counter), and with one
    process (the development server's local transport, ids from its cache)."""
    return bool(settings.REDIS_URL) or isinstance(hub().transport, LocalTransport)


def _transport():
    if settings.REDIS_URL:
        # One topic per database: two sites (or two test runs) sharing a Redis do not mix.
        database = connections["default"].settings_dict["NAME"]
        return RedisTransport(settings.REDIS_URL, topic=f"helpdesk-live:{database}")
    if connections["default"].vendor == "postgresql":
        return PostgresTransport()
    return LocalTransport()
