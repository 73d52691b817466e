"""How an event reaches every web process: Redis pub/sub, PostgreSQL LISTEN/NOTIFY, or (one
process, SQLite) straight to this process's pages.

Each transport's `listen` runs in one thread per process for the life of the process: when the
connection breaks it connects again, waiting longer after each failure (up to half a minute);
pages miss nothing meanwhile because every page re-reads its state when its stream reconnects.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import cache

from helpdesk.live.events import Event

logger = logging.getLogger(__name__)

RECONNECT_DELAYS = [0.5, 1, 2, 5, 10, 30]


# How often a listener looks up from its connection to see whether it should stop.
STOP_CHECK_SECONDS = 1


def _reconnecting(connect_and_listen, ready: threading.Event, stopping: threading.Event, what: str) -> None:
    failures = 0
    while not stopping.is_set():
        try:
            connect_and_listen()
            failures = 0
        except Exception:
            logger.warning("live events: %s listener lost its connection", what, exc_info=True)
            ready.set()  # the pages fall back on their polling meanwhile; never keep one waiting
            time.sleep(RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)])
            failures += 1


class IdsFromTheCache:
    """Increasing event ids from Django's cache: shared by the processes that share the cache,
    per process otherwise (helpdesk.live.last_event_id says what follows)."""

    KEY = "live:last-event-id"

    def last_event_id(self) -> int:
        return cache.get(self.KEY, 0)

    def next_event_id(self) -> int:
        cache.add(self.KEY, 0, timeout=None)
        try:
            return cache.incr(self.KEY)
        except ValueError:  # evicted between the two calls
            cache.add(self.KEY, 1, timeout=None)
            return 1


class LocalTransport(IdsFromTheCache):
    """One process: the development server on SQLite. Several processes need Redis or PostgreSQL."""

    hub = None

    def send(self, event: Event) -> None:
        self.hub.deliver(event)

    def close(self) -> None:
        pass

    def listen(self, deliver, ready: threading.Event, stopping: threading.Event) -> None:
        ready.set()


class RedisTransport:
    """Pub/sub on one topic per database; the event ids are a counter beside it, one round trip
    each (through Django's cache an id took three: add, exists, incr)."""

    hub = None

    def __init__(self, url: str, *, topic: str):
        self.url, self.topic = url, topic
        self.ids_key = f"{topic}:last-event-id"
        self._client = None

    def _redis(self):
        import redis

        if self._client is None:
            self._client = redis.Redis.from_url(self.url)
        return self._client

    def send(self, event: Event) -> None:
        self._redis().publish(self.topic, event.to_json())

    def last_event_id(self) -> int:
        return int(self._redis().get(self.ids_key) or 0)

    def next_event_id(self) -> int:
        return self._redis().incr(self.ids_key)  # from 0 when missing

    def listen(self, deliver, ready: threading.Event, stopping: threading.Event) -> None:
        import redis

        def connect_and_listen():
            with redis.Redis.from_url(self.url).pubsub(ignore_subscribe_messages=True) as pubsub:
                pubsub.subscribe(self.topic)
                ready.set()
                while not stopping.is_set():
                    message = pubsub.get_message(timeout=STOP_CHECK_SECONDS)
                    if message and message["type"] == "message":
                        deliver(Event.from_json(message["data"]))

        _reconnecting(connect_and_listen, ready, stopping, "Redis")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


class PostgresTransport(IdsFromTheCache):
    """NOTIFY on a connection of its own (outside the request's transaction, after its commit);
    LISTEN on one more connection per process."""

    hub = None
    CHANNEL = "helpdesk_live"

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None

    @staticmethod
    def _connect():
        import psycopg
        from django.db import connections

        params = connections["default"].get_connection_params()
        for django_only in ("cursor_factory", "context"):
            params.pop(django_only, None)
        return psycopg.connect(**params, autocommit=True)

    def send(self, event: Event) -> None:
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._connection is None or self._connection.closed:
                        self._connection = self._connect()
                    self._connection.execute("SELECT pg_notify(%s, %s)", [self.CHANNEL, event.to_json()])
                    return
                except Exception:
                    self._connection = None
                    if attempt == 2:
                        raise

    def listen(self, deliver, ready: threading.Event, stopping: threading.Event) -> None:
        def connect_and_listen():
            with self._connect() as connection:
                connection.execute(f"LISTEN {self.CHANNEL}")
                ready.set()
                while not stopping.is_set():
                    for notification in connection.notifies(timeout=STOP_CHECK_SECONDS):
                        deliver(Event.from_json(notification.payload))

        _reconnecting(connect_and_listen, ready, stopping, "PostgreSQL")

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
