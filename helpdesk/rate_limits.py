"""Rate limits: the one place that counts a sender's attempts and says when they may try again.

A limit allows `times` attempts in any `per` ("10 in any hour"): a sliding window, so the answer
to a refused attempt is exact and true: a place frees up when the oldest attempt still counted
leaves the window. Fixed buckets ("10 per clock hour") would be simpler to count, but let twice
the limit through around the turn of a bucket.

`take()` checks and counts in one atomic step, so concurrent attempts of one sender are
counted one after another and exactly `times` get through:

- in the database, one row per limit and sender is inserted or, when it exists, locked by the
  same `INSERT … ON CONFLICT DO UPDATE` (PostgreSQL holds the row lock to the end of the
  transaction; SQLite takes its write lock when the transaction begins), then read and written;
- with REDIS_URL, one sorted set per limit and sender is trimmed, counted and added to by one
  Lua script, which Redis runs without interleaving another command. Should Redis be
  unreachable, the database counts instead.

A refused attempt is not counted, so the time it is told does not move. Several limits on one
attempt (per address and per email address) are taken together: all count it or none does.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from helpdesk.models import RateLimit

logger = logging.getLogger(__name__)

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    """At most `times` attempts in any `per`, counted for one sender (`key`) under `name`."""

    name: str
    key: str
    times: int
    per: timedelta


@dataclass(frozen=True)
class Allowed:
    pass


@dataclass(frozen=True)
class RetryAt:
    at: datetime

    @property
    def to_the_minute(self) -> datetime:
        """The time rounded up to a whole minute, for "please try again after 12:01"."""
        whole = self.at.replace(second=0, microsecond=0)
        return whole if whole == self.at else whole + timedelta(minutes=1)

    @property
    def clock(self) -> str:
        """That minute on the site's clock ("12:01"), the same in every language."""
        return timezone.localtime(self.to_the_minute).strftime("%H:%M")

    def seconds_from(self, now: datetime) -> int:
        """For a Retry-After header: whole seconds, at least one."""
        return max(1, math.ceil((self.at - now).total_seconds()))


ALLOWED = Allowed()


def address_key(email: str) -> str:
    """How an email address is counted: hashed, so no store holds the addresses."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def take(*limits: Limit, now: datetime) -> Allowed | RetryAt:
    """Count one attempt under every limit, or under none and say when a place frees up.

    A limit of zero or less is off.
    """
    limits = tuple(sorted({limit for limit in limits if limit.times > 0}, key=_order))
    if not limits:
        return ALLOWED
    if settings.REDIS_URL:
        try:
            return _take_in_redis(limits, now)
        except redis.RedisError:
            logger.exception("rate limits: Redis did not answer; counting in the database")
    return _take_in_database(limits, now)


def refused(*limits: Limit, now: datetime) -> RetryAt | None:
    """Count one attempt as take() does: None when it is allowed, else when the sender may try again."""
    answer = take(*limits, now=now)
    return answer if isinstance(answer, RetryAt) else None


def _order(limit: Limit) -> tuple[str, str]:
    return limit.name, limit.key


def forget_old_attempts(now: datetime | None = None) -> int:
    deleted, _by_model = RateLimit.objects.expired(now).delete()
    return deleted


# --- in the database ---------------------------------------------------------------------------


def _take_in_database(limits: tuple[Limit, ...], now: datetime) -> Allowed | RetryAt:
    with transaction.atomic():
        # Inserted, or locked when it exists (ON CONFLICT DO UPDATE locks the row): in one
        # order (sorted) for every request, so two requests never wait for each other in a ring.
        RateLimit.objects.bulk_create(
            [RateLimit(name=limit.name, key=limit.key, last_attempt_at=now) for limit in limits],
            update_conflicts=True,
            unique_fields=["name", "key"],
            update_fields=["last_attempt_at"],
        )
        which = Q()
        for limit in limits:
            which |= Q(name=limit.name, key=limit.key)
        rows = {(row.name, row.key): row for row in RateLimit.objects.filter(which)}
        counted = {}
        waits = []
        for limit in limits:
            row = rows[limit.name, limit.key]
            recent = sorted(t for t in map(datetime.fromisoformat, row.attempts) if t > now - limit.per)
            if len(recent) >= limit.times:
                waits.append(recent[-limit.times] + limit.per)
            counted[limit] = (row, recent)
        if waits:
            return RetryAt(max(waits))
        for limit, (row, recent) in counted.items():
            attempts = [t.isoformat() for t in sorted([*recent, now])[-limit.times :]]
            RateLimit.objects.filter(pk=row.pk).update(attempts=attempts)
    return ALLOWED


# --- in Redis ----------------------------------------------------------------------------------

# KEYS: one sorted set per limit (score: the attempt's time in microseconds).
# ARGV: now, a unique member for this attempt, then times and window (microseconds) per key.
# Returns 0 when the attempt is counted under every key, else when a place frees up.
_TAKE = """
local now = tonumber(ARGV[1])
local free_at = 0
for i, key in ipairs(KEYS) do
  local times, window = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= times then
    local oldest = redis.call('ZRANGE', key, count - times, count - times, 'WITHSCORES')
    free_at = math.max(free_at, tonumber(oldest[2]) + window)
  end
end
if free_at > 0 then
  return free_at
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, math.ceil(tonumber(ARGV[2 + 2 * i]) / 1000))
end
return 0
"""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@functools.cache
def _redis_script(url: str):
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return client.register_script(_TAKE)


def redis_key(limit: Limit) -> str:
    return f"helpdesk:rate-limit:{limit.name}:{limit.key}"


def _take_in_redis(limits: tuple[Limit, ...], now: datetime) -> Allowed | RetryAt:
    now_us = (now - EPOCH) // MICROSECOND
    arguments = [now_us, f"{now_us}-{secrets.token_hex(8)}"]
    for limit in limits:
        arguments += [limit.times, limit.per // MICROSECOND]
    free_at = int(
        _redis_script(settings.REDIS_URL)(keys=[redis_key(limit) for limit in limits], args=arguments)
    )
    if free_at:
        return RetryAt(EPOCH + free_at * MICROSECOND)
    return ALLOWED
