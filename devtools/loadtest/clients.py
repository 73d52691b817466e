"""The pages of the load test, as a browser runs them (helpdesk/static/helpdesk/live.js, chat.js):
each loads its page once, then asks what its htmx parts ask, when they ask it.

Polling mode (push off on the server): every part polls at its page's interval (a chat every
second, the lobby board every 2 s, the status page every 20 s). Push mode: each page holds the
server-sent events stream its page opens, asks again on an event (at most as often as the page
allows for a busy channel), and otherwise only at the page's slow "in case an event was lost"
interval (drawn between 80 and 120 % of it for each look). A chat page shows the other side's
line and typing from their events without asking (chat.js), unless the line does not follow on
from the last one it shows; its own typing goes by the typing request (its signed key), and the
answer to its send carries its own line. A stream that reconnects says the last event it saw
and the page asks only if the server says it missed one. Every tab is taken as visible: no
hidden tab's slower polling is counted.

Latency of a chat line: from the moment its sender's POST leaves to the moment the other side's
page has it: the event that carries it, or the first poll answer that carries it; in push mode
also to the moment the other side's stream first tells of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from multidict import CIMultiDict

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF = "loadtestcsrf" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[:52]  # 64 letters
MARKER = re.compile(r"LT-(\d+)-LT")
HIDDEN_INPUT = re.compile(r'id="chat-(cursor|status-key|typing-key)" name="\w+" value="([^"]*)"')
STREAM = re.compile(r'data-live-stream="([^"]+)" data-live-connected-poll="(\d+)" data-live-since="(\d*)"')
TYPING = re.compile(r'data-typing-url="([^"]+)" data-typing-key="([^"]+)"')
SIDE = re.compile(r'data-chat-side="(\w+)"')
CHANNELS = re.compile(r'data-live-channel="([^"]+)"')
CONNECTED_POLL = re.compile(r'data-live-connected-poll="(\d+)"')
# The ticket page's presence (ticket_detail.html, helpdesk.presence): its stream says "still
# here" while it is open, else the page does every 10 s; it asks at once when a colleague's
# arrival is pushed on its channel.
PRESENCE = re.compile(r'<div id="viewers"[^>]* data-live-channel="([^"]+)"\s+hx-post="([^"]+)"')
STOP_POLLING = 286  # a chat that has ended: htmx stops polling (helpdesk.views.htmx)
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)
# Polling intervals of the pages without push (their templates).
CHAT_POLL_SECONDS = 1
LOBBY_POLL_SECONDS = 2
STATUS_POLL_SECONDS = 20
# With push: a chat waiting in line looks at most every 3 s for its queue's events, a status
# page every 5 s (data-live-at-most-every); a typing heartbeat is news for TYPING_FOR_SECONDS.
TYPING_HEARTBEAT_SECONDS = 3


@dataclass
class Tally:
    """What one mode's pages saw, per phase (requests) and in all (latencies, errors)."""

    requests: Counter = field(default_factory=Counter)  # phase -> answered requests (not streams)
    kinds: Counter = field(default_factory=Counter)  # (phase, kind of request) -> answered requests
    errors: Counter = field(default_factory=Counter)  # what went wrong -> how often
    line_latency: list[float] = field(default_factory=list)
    event_latency: list[float] = field(default_factory=list)
    # While people talk: how long a line's POST took to be answered (the server's queue and its
    # work, as against the way of its event to the other page), and how late this process's own
    # event loop ran (a late loop would add its delay to every latency measured).
    send_round_trip: list[float] = field(default_factory=list)
    loop_lag: list[float] = field(default_factory=list)
    sent: int = 0
    received: int = 0
    streams: int = 0

    def error(self, what: str) -> None:
        self.errors[what] += 1


@dataclass
class Line:
    sent_at: float  # when its POST left
    event_at: float | None = None


class Run:
    """One mode's pages against one server: shared state and the clock of its phases."""

    def __init__(
        self,
        base_url: str,
        *,
        push: bool,
        line_every: float,
        seed: int,
        typing_seconds=(2.0, 6.0),
        presence_seconds: float = 10,
    ):
        if urlsplit(base_url).hostname not in LOOPBACK:
            raise ValueError(f"The load test only ever targets this machine's loopback, not {base_url}.")
        self.base_url = base_url
        self.typing_seconds = typing_seconds
        self.presence_seconds = presence_seconds
        self.push = push
        self.line_every = line_every
        self.tally = Tally()
        self.phase = "open"
        self.talking = asyncio.Event()
        self.quiet = asyncio.Event()  # set when the talk is over: pauses end at once
        self.stopping = asyncio.Event()
        self.next_marker = 0
        self.rng = random.Random(seed)  # noqa: S311 (timing jitter, not security)
        self.http: aiohttp.ClientSession | None = None

    async def __aenter__(self):
        # No pooling limit: every open page holds its stream, polls reuse idle connections.
        # An idle connection is dropped long before the server's keep-alive (75 s, as the web
        # unit's) would close it under a request on its way, as nginx does.
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=3, enable_cleanup_closed=True)
        self.http = aiohttp.ClientSession(
            self.base_url, connector=connector, cookie_jar=aiohttp.DummyCookieJar()
        )
        self._lag_watch = asyncio.create_task(self._watch_loop_lag())
        return self

    async def __aexit__(self, *exc):
        self._lag_watch.cancel()
        await asyncio.gather(self._lag_watch, return_exceptions=True)
        await self.http.close()

    async def _watch_loop_lag(self, every: float = 0.1) -> None:
        while True:
            asked = time.monotonic()
            await asyncio.sleep(every)
            if self.talking.is_set():
                self.tally.loop_lag.append(time.monotonic() - asked - every)

    async def pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.quiet.wait(), max(0.0, seconds))

    def marker(self) -> int:
        self.next_marker += 1
        return self.next_marker

    async def request(
        self, method: str, path: str, *, cookies: dict, data=None, htmx=True, answer_headers=None
    ) -> str | None:
        """One request as the page's htmx makes it (or its script's fetch: htmx=False); its
        answer's text (its headers into `answer_headers`), or None on any failure (counted)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Accept-Language": "en"}
        if htmx:
            headers["HX-Request"] = "true"
        if method == "POST":
            headers["X-CSRFToken"] = CSRF
        try:
            async with self.http.request(
                method, path, data=data, headers=headers, timeout=REQUEST_TIMEOUT, allow_redirects=False
            ) as response:
                text = await response.text()
                if answer_headers is not None:
                    answer_headers.update(response.headers)
                if not 200 <= response.status < 300:
                    self.tally.error(f"HTTP {response.status} {_kind_of(path)}")
                    return None
        except (TimeoutError, aiohttp.ClientError) as error:
            self.tally.error(f"{type(error).__name__} {_kind_of(path)}")
            return None
        self.tally.requests[self.phase] += 1
        self.tally.kinds[self.phase, _kind_of(path)] += 1
        return text


# No word of the site's paths is longer; a longer one is a token.
PATH_WORD = 16


def _kind_of(path: str) -> str:
    """The kind of request, for the error counts: its path without tokens and numbers (a token
    may be all letters)."""
    parts = path.split("?")[0].strip("/").split("/")
    return "/".join(part if part.isalpha() and len(part) <= PATH_WORD else "…" for part in parts)


class Page:
    """A page with one polled part and, with push, its stream."""

    poll_seconds: float = 1
    connected_poll_seconds: float = 60
    slow_channels: frozenset[str] = frozenset()
    at_most_every: float = 0

    def __init__(self, run: Run, *, page_url: str, cookies: dict):
        self.run = run
        self.page_url = page_url
        self.cookies = {"csrftoken": CSRF, **cookies}
        self.stream_url: str | None = None
        self.stream_query: list[str] = []
        self.last_event_id = ""
        self.connected = False
        self.wanted = asyncio.Event()
        self.last_asked = 0.0
        self.connected_wait = 0.0

    async def open(self) -> None:
        text = await self.run.request("GET", self.page_url, cookies=self.cookies, htmx=False)
        if text is None:
            return
        self.read_page(text)
        stream = STREAM.search(text)
        if self.run.push:
            if stream is None:
                self.run.tally.error("no push channel on the page")
            else:
                channels = {c for found in CHANNELS.findall(text) for c in found.split()}
                self.stream_url = html.unescape(stream.group(1))
                self.stream_query = [f"channel={c}" for c in sorted(channels)]
                self.last_event_id = stream.group(3)
                if "connected_poll_seconds" not in vars(self):  # the page's part has no slow look of its own
                    self.connected_poll_seconds = float(stream.group(2))

    def read_page(self, text: str) -> None:
        """What the page's own markup says about its polling."""

    def stream_address(self) -> str:
        """live.js: the page's channels and the last event it saw."""
        query = "&".join([*self.stream_query, f"last={self.last_event_id}"])
        return f"{self.stream_url}{'&' if '?' in self.stream_url else '?'}{query}"

    async def live(self) -> None:
        """The page while it is open: its polls and its stream."""
        tasks = [asyncio.create_task(self.polling())]
        if self.stream_url:
            tasks.append(asyncio.create_task(self.streaming()))
        try:
            await self.run.stopping.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def polling(self) -> None:
        """htmx's poll with hx-sync "queue last": one request at a time; a trigger while one is
        on its way makes one more after it."""
        self.wanted.set()  # the first look, on load
        while True:
            interval = self.connected_wait if self.connected else self.poll_seconds
            wait = self.last_asked + interval - time.monotonic()
            if wait > 0 and not self.wanted.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wanted.wait(), wait)
            self.wanted.clear()
            self.last_asked = time.monotonic()
            # The next slow look's interval is drawn anew (live.js: 80 to 120 %).
            self.connected_wait = self.connected_poll_seconds * self.run.rng.uniform(0.8, 1.2)
            await self.poll()

    async def poll(self) -> None:
        raise NotImplementedError

    def ask(self, channel: str | None = None) -> None:
        """Look again now, or (a busy channel) once at_most_every seconds have passed."""
        if channel in self.slow_channels and self.at_most_every:
            due = self.last_asked + self.at_most_every - time.monotonic()
            if due > 0:
                asyncio.get_running_loop().call_later(due, self.wanted.set)
                return
        self.wanted.set()

    async def streaming(self) -> None:
        """EventSource: reconnect after the server's retry when a stream ends, saying the last
        event seen; catch up once when the server says the page missed one."""
        retry = 3.0
        while True:
            try:
                async with self.run.http.get(
                    self.stream_address(),
                    headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=60),
                ) as response:
                    if response.status != 200:
                        self.run.tally.error(f"stream HTTP {response.status}")
                        return  # EventSource gives up: the page keeps polling
                    self.run.tally.streams += 1
                    event, data = "message", []
                    async for raw in response.content:
                        line = raw.decode().rstrip("\r\n")
                        if line.startswith("retry:"):
                            retry = int(line[6:]) / 1000
                        elif line.startswith("event:"):
                            event = line[6:].strip()
                        elif line.startswith("id:"):
                            self.last_event_id = line[3:].strip()
                        elif line.startswith("data:"):
                            data.append(line[5:].strip())
                        elif not line and data:
                            self.dispatch(event, "\n".join(data))
                            event, data = "message", []
            except (TimeoutError, aiohttp.ClientError) as error:
                if not self.run.stopping.is_set():
                    self.run.tally.error(f"stream {type(error).__name__}")
            self.connected = False
            await asyncio.sleep(retry)

    def dispatch(self, event: str, data: str) -> None:
        message = json.loads(data)
        if event == "ready":
            self.connected = True
            if message.get("missed"):
                self.ask()
                self.missed()
            return
        self.on_event(message)

    def missed(self) -> None:
        """The page's other live parts ask too (live.js asks every one)."""

    def on_event(self, message: dict) -> None:
        self.ask(message["channel"])


class ChatPage(Page):
    """One side of a chat: the customer's chat room, or the agent's panel on the ticket page."""

    def __init__(self, run, *, page_url, poll_url, send_url, body_field, cookies, side: str, channel: str):
        super().__init__(run, page_url=page_url, cookies=cookies)
        self.poll_url, self.send_url, self.body_field = poll_url, send_url, body_field
        self.side, self.channel = side, channel
        self.other: ChatPage | None = None
        self.form = {"after": "0", "status_key": "", "typing_key": ""}
        self.awaiting: dict[int, Line] = {}  # the other side's lines this page has not shown yet
        self.typing_until = 0.0
        self.typing_url = self.typing_key = ""
        self.sending = False
        self.presence_url = self.presence_channel = ""
        self.presence_by_stream = False
        self.presence_wanted = asyncio.Event()

    async def live(self) -> None:
        """The agent's ticket page also says "still here" (#viewers) while it is open."""
        if not self.presence_url:
            await super().live()
            return
        looking = asyncio.create_task(self.presence())
        try:
            await super().live()
        finally:
            looking.cancel()
            await asyncio.gather(looking, return_exceptions=True)

    async def presence(self) -> None:
        """#viewers: a look at once when a colleague's arrival or reply is pushed (or the stream
        missed an event), and htmx's "every 10s", which live.js lets through only while the
        stream is not connected (while it is, the stream says "still here") or the page shows a
        colleague (who may leave: no event says so)."""
        shows_a_colleague = False
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.presence_wanted.wait(), self.run.presence_seconds)
            told = self.presence_wanted.is_set()
            self.presence_wanted.clear()
            if not told and self.connected and self.presence_by_stream and not shows_a_colleague:
                continue
            answer = await self.run.request(
                "POST", self.presence_url, cookies=self.cookies, data={"replying": ""}
            )
            if answer is not None:
                shows_a_colleague = 'data-testid="collision"' in answer

    def missed(self) -> None:
        if self.presence_url:
            self.presence_wanted.set()

    def read_page(self, text: str) -> None:
        presence = PRESENCE.search(text)
        if presence:
            self.presence_channel, self.presence_url = presence.group(1), html.unescape(presence.group(2))
            self.presence_by_stream = "data-live-here-by-stream=" in presence.group(0)
        typing = TYPING.search(text)
        if typing:
            self.typing_url, self.typing_key = html.unescape(typing.group(1)), html.unescape(typing.group(2))
        # A chat still waiting for its agent names its queue as a busy channel (chat_conversation.html).
        slow = re.search(r'data-live-slow-channels="([^"]*)" data-live-at-most-every="(\d+)"', text)
        if slow:
            self.slow_channels, self.at_most_every = frozenset(slow.group(1).split()), float(slow.group(2))

    async def poll(self) -> None:
        form = dict(self.form)
        if time.monotonic() < self.typing_until:
            form["typing"] = "1"
        text = await self.run.request("POST", self.poll_url, cookies=self.cookies, data=form)
        if text is None:
            return
        self.show(text)

    def show(self, text: str) -> None:
        """An answer's lines and hidden inputs (a poll's, or a send's), as htmx swaps them in."""
        received = time.monotonic()
        for name, value in HIDDEN_INPUT.findall(text):
            self.form[{"cursor": "after", "status-key": "status_key", "typing-key": "typing_key"}[name]] = (
                html.unescape(value)
            )
        for marker in MARKER.findall(text):
            line = self.awaiting.pop(int(marker), None)
            if line is not None:
                self.run.tally.line_latency.append(received - line.sent_at)
                self.run.tally.received += 1

    def on_event(self, message: dict) -> None:
        """chat.js: typing and a line that follows on are shown from the event; anything else
        (a gap, the chat's other changes, its queue) makes the poll ask (live.js)."""
        if message["channel"] == self.presence_channel:
            self.presence_wanted.set()  # #viewers asks, not the chat panel
            return
        now = time.monotonic()
        data = message.get("data") or {}
        if message["channel"] == self.channel and message["name"] in ("changed", "line"):
            for line in self.awaiting.values():
                if line.event_at is None and line.sent_at <= now:
                    line.event_at = now
                    self.run.tally.event_latency.append(now - line.sent_at)
        if message["channel"] == self.channel and message["name"] == "typing":
            return  # shown (the other side's) or ignored (this page's own)
        if message["channel"] == self.channel and message["name"] == "line":
            shown = int(self.form["after"] or 0)
            if data["entry"] <= shown or (data["side"] == self.side and self.sending):
                return  # its own line, shown already or coming in the answer to its send
            part = data.get(self.side)
            if part and part["previous"] == shown:
                self.form["after"] = str(data["entry"])
                self.show(part["html"])
                return
        self.ask(message["channel"])

    async def tell_typing(self) -> None:
        """chat.js: with push, the typing request by the page's key; without, a poll (which
        carries typing=1)."""
        if self.connected and self.typing_key:
            await self.run.request(
                "POST", self.typing_url, cookies=self.cookies, data={"key": self.typing_key}, htmx=False
            )
        else:
            self.wanted.set()

    async def talk(self) -> None:
        """While the exchange lasts: now and then type for a few seconds (the typing heartbeat
        goes with a poll at once and every 3 s, chat.js), then send a line."""
        rng = self.run.rng
        await self.run.pause(rng.uniform(0, self.run.line_every))
        while self.run.talking.is_set():
            typing = rng.uniform(*self.run.typing_seconds)
            self.typing_until = time.monotonic() + typing
            while time.monotonic() < self.typing_until and self.run.talking.is_set():
                asyncio.get_running_loop().create_task(self.tell_typing())  # fetch() does not wait
                await self.run.pause(min(TYPING_HEARTBEAT_SECONDS, self.typing_until - time.monotonic()))
            if not self.run.talking.is_set():
                break
            marker = self.run.marker()
            self.other.awaiting[marker] = Line(sent_at=time.monotonic())
            self.run.tally.sent += 1
            body = f"About my bill, LT-{marker}-LT: the sum on page 2 looks wrong."
            # Header names in any case, as htmx reads them: uvicorn with httptools sends them
            # lower-cased, and a plain dict took every line for refused.
            headers = CIMultiDict()
            self.sending = True
            sent_at = time.monotonic()
            answer = await self.run.request(
                "POST",
                self.send_url,
                cookies=self.cookies,
                data={self.body_field: body, "after": self.form["after"]},  # hx-include="#chat-cursor"
                answer_headers=headers,
            )
            self.typing_until, self.sending = 0.0, False
            if answer is not None:
                self.run.tally.send_round_trip.append(time.monotonic() - sent_at)
            trigger = headers.get("HX-Trigger", "")
            if answer is None or "chat:sent" not in trigger:  # a failure, or the form's errors: not sent
                if answer is not None:
                    self.run.tally.error(f"line refused {self.side}")
                self.other.awaiting.pop(marker, None)
            elif "chat:catch-up" in trigger:
                self.wanted.set()  # the page missed a line before its own: its poll asks at once
            else:
                self.show(answer)  # its own line, and the cursor moved on to it
            await self.run.pause(rng.expovariate(1 / max(0.5, self.run.line_every - 4)))


class LobbyScreen(Page):
    poll_seconds = LOBBY_POLL_SECONDS

    def __init__(self, run, slug: str):
        super().__init__(run, page_url=f"/display/{slug}/", cookies={})
        self.board_url = f"/display/{slug}/board/"

    def read_page(self, text: str) -> None:
        # The board's own slow look (the language turns, a call's highlight fades).
        found = CONNECTED_POLL.findall(text)
        if found:
            self.connected_poll_seconds = float(found[-1])

    async def poll(self) -> None:
        await self.run.request("GET", self.board_url, cookies=self.cookies)


class StatusPage(Page):
    poll_seconds = STATUS_POLL_SECONDS

    def __init__(self, run, token: str):
        super().__init__(run, page_url=f"/status/{token}/", cookies={})
        self.live_url = f"/status/{token}/live/"

    def read_page(self, text: str) -> None:
        slow = re.search(r'data-live-at-most-every="(\d+)"', text)
        if slow:
            self.at_most_every = float(slow.group(1))
            self.slow_channels = frozenset(c for found in CHANNELS.findall(text) for c in found.split())

    async def poll(self) -> None:
        await self.run.request("GET", self.live_url, cookies=self.cookies)


def chat_pages(run: Run, seat) -> tuple[ChatPage, ChatPage]:
    customer = ChatPage(
        run,
        page_url=f"/chat/{seat.token}/",
        poll_url=f"/chat/{seat.token}/poll/",
        send_url=f"/chat/{seat.token}/send/",
        body_field="body",
        cookies={},
        side="customer",
        channel=f"chat:{seat.chat_id}",
    )
    agent = ChatPage(
        run,
        page_url=f"/agent/tickets/{seat.reference}/",
        poll_url=f"/agent/tickets/{seat.reference}/chat/poll/",
        send_url=f"/agent/tickets/{seat.reference}/chat/send/",
        body_field="chat-body",  # the workspace's chat form is prefixed
        cookies={"sessionid": seat.agent_session},
        side="agent",
        channel=f"chat:{seat.chat_id}",
    )
    customer.other, agent.other = agent, customer
    return customer, agent
