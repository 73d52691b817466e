"""Who else has a request open in the workspace (the collision warning), kept in the cache.

An open workspace says "still here" every ten seconds; that costs no row write: each agent's
look is a cache entry of its own that expires unless renewed, and the request's roster (the ids
of those who looked lately) says whose entries to read. With push, the page's open stream says it
(helpdesk/views/live.py: when it opens, then with its keep-alives every STILL_HERE_EVERY) and
the page makes no request for it; without push, the page's poll does. With a shared cache
(Redis, as the settings choose when REDIS_URL is set) every web process sees the same agents;
with the default per-process cache, presence is per process (the development server is one).

Arriving, and starting or stopping a reply, is news: it is pushed to the other open pages of the
request ("ticket:<id>", helpdesk.live), which ask again at once. Leaving is not announced (a page
that closes, or a stream that ends, says nothing more): the agent's entry goes stale, and a page
that shows a colleague looks again every ten seconds while it does, pushed or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from helpdesk import live
from helpdesk.models.staff import staff_name

# How often an open page says "still here", by its poll or by its stream.
STILL_HERE_EVERY = timedelta(seconds=10)
# A look older than this means the agent closed the page: three "still here" missed.
VIEWER_STALE_AFTER = 3 * STILL_HERE_EVERY
# The roster outlives its entries: an hour after the last look it goes too.
ROSTER_KEPT_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class Viewer:
    user_id: int
    name: str
    is_replying: bool
    seen_at: datetime


def channel(ticket_id: int) -> str:
    """Where a request's presence changes are pushed: its workspace pages follow it."""
    return f"ticket:{ticket_id}"


def _roster_key(ticket_id: int) -> str:
    return f"presence:{ticket_id}"


def _viewer_key(ticket_id: int, user_id: int) -> str:
    return f"presence:{ticket_id}:{user_id}"


def here(ticket_id: int, user, *, replying: bool | None = False) -> None:
    """The agent has the request open (writing a reply, or not): no database write. `replying`
    None (said by the page's stream, which cannot know): as the page last said, or not."""
    key = _viewer_key(ticket_id, user.pk)
    before = cache.get(key)
    if replying is None:
        replying = before is not None and before.is_replying
    now = timezone.now()
    cache.set(key, Viewer(user.pk, staff_name(user), replying, now), VIEWER_STALE_AFTER.total_seconds())
    # Two agents arriving at the same moment may each write the roster without the other: the
    # one left out is added again by their own next look, ten seconds later.
    roster = cache.get(_roster_key(ticket_id)) or frozenset()
    if user.pk not in roster:
        cache.set(_roster_key(ticket_id), roster | {user.pk}, ROSTER_KEPT_FOR.total_seconds())
    if before is None or before.is_replying != replying or now - before.seen_at > VIEWER_STALE_AFTER:
        live.publish(channel(ticket_id), "presence")


def stopped_replying(ticket_id: int, user) -> None:
    """The agent's reply was sent: they are only viewing now (if still here)."""
    key = _viewer_key(ticket_id, user.pk)
    viewer = cache.get(key)
    if viewer is not None and viewer.is_replying:
        cache.set(
            key,
            Viewer(viewer.user_id, viewer.name, False, viewer.seen_at),
            VIEWER_STALE_AFTER.total_seconds(),
        )
        live.publish(channel(ticket_id), "presence")


def others(ticket_id: int, user) -> list[Viewer]:
    """The other agents with the request open now, those writing a reply first."""
    roster = cache.get(_roster_key(ticket_id)) or frozenset()
    keys = [_viewer_key(ticket_id, user_id) for user_id in roster if user_id != user.pk]
    fresh_since = timezone.now() - VIEWER_STALE_AFTER
    viewers = [viewer for viewer in cache.get_many(keys).values() if viewer.seen_at >= fresh_since]
    return sorted(viewers, key=lambda viewer: (not viewer.is_replying, viewer.name.casefold()))
