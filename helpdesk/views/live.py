"""The pages' push channel: a server-sent events stream per open page (see helpdesk/live).

A stream carries nothing its page could not fetch itself: that something changed on a channel
(the page then asks with its usual request, which checks its rights again), or for a chat what
changed (its new line drawn for the page, who is typing: helpdesk.chat_live). So a stream is
opened with the page's own rights: a customer's chat by its token, the staff channels by role,
each channel checked against what the agent may see (`_may_follow`). A staff stream also follows
its person's `access:<id>` channel, which no page may name: an event there (signed out,
deactivated, another role: helpdesk.live.end_streams_of) ends it, and the page's reconnection is
checked again.

The development server (WSGI, a thread per connection) gets a plain generator; an ASGI server
an asynchronous one, so an open page costs a waiting coroutine, not a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from functools import partial

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from helpdesk import live, presence
from helpdesk.live.events import Event
from helpdesk.models import Branch, Chat, Ticket
from helpdesk.queue import line
from helpdesk.roles import is_agent
from helpdesk.views.chat import chat_by_token
from helpdesk.views.status import private, ticket_by_token
from helpdesk.walk_in import lobby as lobby_screen

logger = logging.getLogger(__name__)

# The answer that tells a browser's EventSource to stop reconnecting: nothing will come (push is
# off, or the chat has ended).
NOTHING_TO_FOLLOW = 204

# The staff channels and who may follow them (`_may_follow`): an agent follows the queues they
# serve or manage, the chats of those queues and their own ("chat:<id>", "queue:<id>"), any
# ticket's presence ("ticket:<id>": any agent may open its workspace), a lobby board (public like
# the screen), the progress of a long piece of work (bulk changes, a crisis update's sending:
# "progress:<what>", whose pages any agent may open) and "agent:<id>", their own.
STAFF_CHANNELS = {"chat", "queue", "ticket", "lobby", "agent", "progress"}
# Channels named by a row's id: each is checked against the rows the agent may see.
ROW_CHANNELS = {"chat", "queue", "ticket"}
# A page names what it shows: its queues (a manager's every queue), a chat, the agent's own.
MAX_CHANNELS = 100


@never_cache
@require_GET
def chat_events(request, token):
    """The customer's chat page: its chat's events, and while no agent has joined its queue's (the
    place in line follows from them). While it is open the customer is "here" (recorded at most
    once a minute), so the chat does not end by silence."""
    chat = chat_by_token(token)
    if not settings.LIVE_PUSH or not chat.is_live:
        return HttpResponse(status=NOTHING_TO_FOLLOW)
    channels = [chat.live_channel]
    if chat.agent_id is None:
        channels.append(f"queue:{chat.ticket.queue_id}")
    return event_stream(
        request, channels, still_here=_StillHere(partial(_customer_still_here, chat), every=60)
    )


@never_cache
@require_GET
def lobby_events(request, slug):
    """The lobby screen (public, like the screen itself): its branch's visits."""
    try:
        branch = lobby_screen.lobby_branch(slug)
    except Branch.DoesNotExist:
        raise Http404 from None
    if not settings.LIVE_PUSH:
        return HttpResponse(status=NOTHING_TO_FOLLOW)
    return event_stream(request, [f"lobby:{branch.pk}"])


@never_cache
@require_GET
def status_events(request, token):
    """A customer's status page, by its link: the changes to its queue (its place in line and the
    estimate follow from them). Only the page's own request is then read, with its token."""
    ticket = ticket_by_token(token)
    if not settings.LIVE_PUSH or not ticket.is_open:
        return HttpResponse(status=NOTHING_TO_FOLLOW)
    return private(event_stream(request, [f"queue:{ticket.queue_id}"]))


def _customer_still_here(chat) -> None:
    """A failure here (the database away a moment) costs the stream nothing: the next look, or
    the page's next poll, records it."""
    try:
        chat.customer_still_here(timezone.now())
    except Exception:
        logger.warning("live events: could not record that chat %s is still open", chat.pk, exc_info=True)
    finally:
        _release_connection()


def _release_connection() -> None:
    """An open stream holds no database connection between two looks: a thousand open pages are
    not a thousand connections. (Inside a transaction, or a connection shared between threads, as
    in tests, there is nothing to release.)"""
    if not connection.in_atomic_block and not connection.allow_thread_sharing:
        # A stream outliving the test that shared its connection with this thread finds it is
        # no longer its own: nothing to release then.
        with contextlib.suppress(DatabaseError):
            connection.close()


@never_cache
@require_GET
def staff_events(request):
    """An agent's page: the channels it names (`?channel=chat:12&channel=agent:5`), each checked."""
    if not is_agent(request.user):
        raise PermissionDenied
    channels = request.GET.getlist("channel")
    if not 0 < len(channels) <= MAX_CHANNELS:
        raise PermissionDenied
    if not _may_follow(request.user, channels):
        raise PermissionDenied
    if not settings.LIVE_PUSH:
        return HttpResponse(status=NOTHING_TO_FOLLOW)
    return event_stream(
        request,
        channels,
        still_here=_viewing(request.user, channels),
        ends_on=live.access_channel(request.user.pk),
    )


def _viewing(user, channels: list[str]) -> _StillHere | None:
    """The ticket page's stream (it follows "ticket:<id>", its #viewers) says its agent is viewing
    the request: at once, then as often as the page's poll would (helpdesk.presence), so the page
    polls for nobody while connected. Its channels are checked already: any agent may open any
    request's workspace. Whether the agent is writing a reply is the page's to say, at once when
    it changes (its presence request): the stream keeps what was said."""
    ticket_ids = [int(channel.partition(":")[2]) for channel in channels if channel.startswith("ticket:")]
    if not ticket_ids:
        return None

    def viewing() -> None:
        # The cache away a moment costs the stream nothing: the next keep-alive says it again.
        try:
            for ticket_id in ticket_ids:
                presence.here(ticket_id, user, replying=None)
        except Exception:
            logger.warning(
                "live events: could not record that %s is viewing %s", user.pk, ticket_ids, exc_info=True
            )

    viewing()  # as it opens: a colleague's page is told of an arrival now, not at a keep-alive
    return _StillHere(viewing, every=presence.STILL_HERE_EVERY.total_seconds(), said=True)


def _may_follow(user, channels: list[str]) -> bool:
    """Whether the agent may follow every one of these channels: a fixed number of queries (one
    per kind of row named), however many channels. Refused as a whole: a page names only what it
    shows, so a channel refused is a page that was not theirs, or a hand-made request."""
    by_kind: dict[str, set[int]] = {kind: set() for kind in ROW_CHANNELS}
    for channel in channels:
        kind, _, key = channel.partition(":")
        if kind not in STAFF_CHANNELS or not key or len(channel) > 100:
            return False
        if kind == "agent" and key != str(user.pk):
            return False
        if kind in ROW_CHANNELS:
            if not key.isdigit():
                return False
            by_kind[kind].add(int(key))
    followable = {
        "queue": line.queues_followed_by(user),
        "chat": Chat.objects.followable_by(user),
        "ticket": Ticket.objects.all(),
    }
    return all(
        not ids or followable[kind].filter(pk__in=ids).count() == len(ids) for kind, ids in by_kind.items()
    )


def event_stream(request, channels, *, still_here=None, ends_on: str | None = None) -> HttpResponse:
    """The stream of `channels`' events; an event on `ends_on` (a channel no page may name) ends it.
    The page is told whether it missed something on its own `channels` only."""
    _release_connection()  # the page's rights are checked; the stream itself needs none
    last = request.GET.get("last", "")
    last_seen = int(last) if last.isdigit() else None
    followed = [*channels, ends_on] if ends_on else channels
    if isinstance(request, ASGIRequest):
        content = _async_events(channels, followed, still_here, last_seen, ends_on)
    elif settings.LIVE_WSGI_STREAMS:
        content = _events(channels, followed, still_here, last_seen, ends_on)
    else:  # a sync worker held for minutes per open page would soon leave none for the pages
        return HttpResponse(status=NOTHING_TO_FOLLOW)
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
    return response


def _ready(channels, last_seen: int | None) -> str:
    """First, once subscribed: how long to wait before reconnecting, and "ready" with whether
    the page's channels had an event after the last one it saw (it then asks once)."""
    ready = json.dumps({"missed": live.hub().missed(channels, last_seen), "last": live.last_event_id()})
    return f"retry: {settings.LIVE_RETRY_SECONDS * 1000}\nevent: ready\ndata: {ready}\n\n"


def _lasts() -> float:
    """How long a stream lasts: drawn between 80 and 100 % of LIVE_STREAM_MAX_SECONDS, so pages
    opened together do not all reconnect together."""
    return settings.LIVE_STREAM_MAX_SECONDS * random.uniform(0.8, 1.0)  # noqa: S311 (spreading, not security)


class _StillHere:
    """The page's "still here" said through its stream, at most `every` seconds apart: the
    customer's chat with its first keep-alive and then once a minute (the chat records it no more
    often: SEEN_RECORDED_EVERY), the agent's ticket page every 10 s (its presence goes stale after
    30 s). Looked at after each keep-alive and each event, so a busy stream says it too; a stream
    whose "still here" is due more often than its keep-alives sends them that often."""

    def __init__(self, say, *, every: float, said: bool = False):
        self.say, self.every = say, every
        self.said_at = time.monotonic() if said else -every

    def keepalive_seconds(self) -> float:
        return min(settings.LIVE_KEEPALIVE_SECONDS, self.every)

    def due(self) -> bool:
        if time.monotonic() - self.said_at < self.every:
            return False
        self.said_at = time.monotonic()
        return True


def _message(event: Event) -> str:
    return f"id: {event.id}\ndata: {event.to_json()}\n\n"


KEEPALIVE = ": still here\n\n"


def _events(channels, followed, still_here, last_seen, ends_on):
    hub = live.hub()
    subscription = hub.subscribe(followed)
    keepalive = still_here.keepalive_seconds() if still_here else settings.LIVE_KEEPALIVE_SECONDS
    try:
        yield _ready(channels, last_seen)
        ends = time.monotonic() + _lasts()
        while (left := ends - time.monotonic()) > 0:
            event = subscription.get(timeout=min(left, keepalive))
            if event is not None and event.channel == ends_on:
                return
            # First: a page that has gone ends the stream here.
            yield KEEPALIVE if event is None else _message(event)
            if still_here and still_here.due():
                still_here.say()
    finally:
        hub.unsubscribe(subscription)


async def _async_events(channels, followed, still_here, last_seen, ends_on):
    hub = live.hub()
    # Subscribing may wait for the process's listener to connect: not in the event loop.
    subscription = await sync_to_async(hub.subscribe, thread_sensitive=False)(
        followed, loop=asyncio.get_running_loop()
    )
    keepalive = still_here.keepalive_seconds() if still_here else settings.LIVE_KEEPALIVE_SECONDS
    try:
        yield _ready(channels, last_seen)
        ends = time.monotonic() + _lasts()
        while (left := ends - time.monotonic()) > 0:
            event = await subscription.aget(timeout=min(left, keepalive))
            if event is not None and event.channel == ends_on:
                return
            yield KEEPALIVE if event is None else _message(event)
            if still_here and still_here.due():
                await sync_to_async(still_here.say)()
    finally:
        hub.unsubscribe(subscription)
