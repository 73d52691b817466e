"""Django's Redis cache with one client, so one pool of connections, per process.

Django keeps a cache object per context, and each object made its own connection pool: a request
served in a fresh context (every request's task under the ASGI server, so every push stream and
every typing heartbeat) opened a Redis connection of its own, and an open stream held it for its
life (about 500 connections for the agents' 500 open ticket pages of `make loadtest`). Here every
cache object of the process shares one client: redis-py's pool is safe across threads and starts
afresh in a forked process. Closing a cache object closes nothing
(as Django's own Redis cache), so sharing the client costs no one their connection.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _clients_lock:
            if key not in _clients:
                _clients[key] = self._class(self._servers, **self._options)
            return _clients[key]
