"""One mode of the load test from its pages' side (`exercise`: also what the test runs against
a live test server), and the whole run with its servers and meters (`measure_mode`)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from devtools.loadtest import clients, measure, servers
from devtools.loadtest.seed import World

# A typing heartbeat is news for 5 s; the pages look again a second after (Chat._typing).
TYPING_STALE_SECONDS = 7


@dataclass(frozen=True)
class Plan:
    chats: int = 500
    chats_per_agent: int = 4
    lobby_screens: int = 20
    status_pages: int = 200
    # Seconds: pages open (at most open_seconds) and settle, then both sides of every chat talk,
    # then nobody types.
    open_seconds: float = 300
    settle_seconds: float = 10
    talk_seconds: float = 60
    # After the talk, lines still on their way arrive and "typing" goes stale before the idle
    # phase is measured (at most this long).
    wind_down_seconds: float = 60
    idle_seconds: float = 30
    # Each side of a chat writes a line about this often (seconds, on average, typing included).
    line_every: float = 20
    web_workers: int = 4
    # How many pages open at once while the run starts (a browser opening its page).
    opening_at_once: int = 25
    # Before each line its writer types for this long (seconds, drawn between the two).
    typing_seconds: tuple[float, float] = (2.0, 6.0)
    # The agent's ticket page says "still here" this often while its stream is not connected
    # (#viewers, ticket_detail.html); connected, the stream says it.
    presence_seconds: float = 10


QUICK = Plan(
    chats=20,
    chats_per_agent=4,
    lobby_screens=2,
    status_pages=10,
    settle_seconds=3,
    talk_seconds=15,
    wind_down_seconds=20,
    idle_seconds=10,
    line_every=8,
    web_workers=2,
)


@dataclass
class Outcome:
    """One mode: what the pages saw, how long each phase lasted, the CPU each part used in it."""

    push: bool
    tally: clients.Tally
    missed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)  # phase -> part -> seconds
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)
    server_errors: list[str] = field(default_factory=list)
    workers_restarted: int = 0


async def exercise(
    base_url: str, world: World, plan: Plan, *, push: bool, phase: Callable[[str], None]
) -> Outcome:
    """Open every page, let them talk, then idle; `phase(name)` is called as each phase starts
    ("talk", "wind-down", "idle", "end") so the caller can read its meters."""
    outcome = Outcome(push=push, tally=clients.Tally())
    async with clients.Run(
        base_url,
        push=push,
        line_every=plan.line_every,
        seed=20261205,
        typing_seconds=plan.typing_seconds,
        presence_seconds=plan.presence_seconds,
    ) as run:
        outcome.tally = run.tally
        chats = [clients.chat_pages(run, seat) for seat in world.chats]
        pages = [
            *(page for pair in chats for page in pair),
            *(clients.LobbyScreen(run, slug) for slug in world.lobby_slugs),
            *(clients.StatusPage(run, token) for token in world.status_tokens),
        ]
        opening = asyncio.Semaphore(plan.opening_at_once)

        opened = asyncio.Queue()

        async def open_page(page):
            async with opening:
                await page.open()
            opened.put_nowait(page)
            await page.live()

        # Every page is open (or has failed to, counted) before anyone talks: the agents' pages
        # are the heaviest the site serves, and opening them is not what is measured.
        living = [asyncio.create_task(open_page(page)) for page in pages]
        deadline = time.monotonic() + plan.open_seconds
        for _page in pages:
            try:
                await asyncio.wait_for(opened.get(), max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                run.tally.error("pages still opening at the deadline")
                break
        await asyncio.sleep(plan.settle_seconds)
        started = time.monotonic()

        def enter(name: str) -> None:
            nonlocal started
            now = time.monotonic()
            if run.phase != "open":
                outcome.seconds[run.phase] = now - started
            started, run.phase = now, name
            phase(name)

        enter("talk")
        run.talking.set()
        talking = [asyncio.create_task(page.talk()) for pair in chats for page in pair]
        await asyncio.sleep(plan.talk_seconds)
        run.talking.clear()
        run.quiet.set()
        enter("wind-down")
        await asyncio.gather(*talking, return_exceptions=True)  # a line on its way is sent first
        # The idle phase starts once the last lines have arrived (at most wind_down_seconds) and
        # "typing" has gone stale on every page: an overloaded server's backlog is not idle.
        deadline = started + plan.wind_down_seconds
        while time.monotonic() < deadline and any(page.awaiting for pair in chats for page in pair):
            await asyncio.sleep(0.2)
        await asyncio.sleep(min(TYPING_STALE_SECONDS, max(0.0, deadline - time.monotonic())))
        enter("idle")
        await asyncio.sleep(plan.idle_seconds)
        enter("end")
        run.stopping.set()
        await asyncio.gather(*living, return_exceptions=True)
        outcome.missed = sum(len(page.awaiting) for pair in chats for page in pair)
    return outcome


class Meters:
    """CPU of the web server (master and workers), the worker, PostgreSQL's backends of the load
    test's database and this process, looked at twice a second (backends come and go)."""

    def __init__(self, *, database_settings: dict, worker_pid: int):
        self.database_settings = database_settings
        self.worker_pid = worker_pid
        self.web_pid: int | None = None
        self.parts = {name: measure.CpuMeter() for name in ("web", "postgresql", "worker", "load generator")}
        self.parts["web event loops"] = measure.CpuMeter(measure.main_thread_cpu_seconds)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._connection = None

    def __enter__(self):
        import psycopg

        s = self.database_settings
        self._connection = psycopg.connect(
            dbname=s["NAME"],
            user=s["USER"],
            password=s["PASSWORD"],
            host=s["HOST"],
            port=s["PORT"],
            autocommit=True,
        )
        self._thread = threading.Thread(target=self._watch, name="load-test-meters", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        self._connection.close()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self.look()

    def look(self) -> None:
        with self._lock:
            if self.web_pid is not None:
                web = measure.tree(self.web_pid)
                self.parts["web"].look(web)
                self.parts["web event loops"].look(pid for pid in web if pid != self.web_pid)
            self.parts["worker"].look(measure.tree(self.worker_pid))
            self.parts["load generator"].look([os.getpid()])
            backends = self._connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database_settings["NAME"]],
            ).fetchall()
            self.parts["postgresql"].look(pid for (pid,) in backends)

    def totals(self) -> dict[str, float]:
        self.look()
        with self._lock:
            return {name: meter.total() for name, meter in self.parts.items()}


def measure_mode(
    world: World, plan: Plan, *, push: bool, env: dict[str, str], meters: Meters, log_to: str = ""
) -> Outcome:
    """Start the web server in this mode, run the pages against it, stop it; its whole log is
    kept in `log_to` when named (the tracebacks of the errors the pages counted)."""
    port = servers.free_port()
    base_url = f"http://{servers.HOST}:{port}"
    web = servers.web(env, port=port, workers=plan.web_workers)
    snapshots: dict[str, dict[str, float]] = {}
    try:
        servers.wait_until_serving(web, f"{base_url}/healthz")
        meters.web_pid = web.pid
        outcome = asyncio.run(
            exercise(
                base_url,
                world,
                plan,
                push=push,
                phase=lambda name: snapshots.__setitem__(name, meters.totals()),
            )
        )
        outcome.load_average = os.getloadavg()
    finally:
        with contextlib.suppress(Exception):
            meters.look()
        meters.web_pid = None
        web.stop()
        log = web.output()
        web.close()
        if log_to:
            with open(log_to, "w") as kept:
                kept.write(log)
    # gunicorn replaces a worker that stopped answering its heartbeat (--timeout): each one
    # drops the connections it held.
    outcome.workers_restarted = max(0, log.count("Booting worker") - plan.web_workers)
    if outcome.tally.errors:  # what the server said about them
        errors = [line for line in log.splitlines() if "ERROR" in line or "Error" in line]
        outcome.server_errors = errors[-20:]
    order = ["talk", "wind-down", "idle", "end"]
    for name, following in itertools.pairwise(order):
        outcome.cpu[name] = {
            part: snapshots[following][part] - snapshots[name][part] for part in snapshots[name]
        }
    return outcome
