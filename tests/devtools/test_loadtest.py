"""`make loadtest`'s core, kept from rotting: its statistics, its CPU meter, and a few seconds of
its pages (two chats, a lobby screen, a status page) against the live test server, polling and
by push. The full run, with its own production servers, is a benchmark (docs/performance.md)."""

import asyncio
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.test import override_settings

from devtools.loadtest import clients, measure, report, seed
from devtools.loadtest.run import Outcome, Plan, exercise

TINY = Plan(
    chats=2,
    chats_per_agent=2,
    lobby_screens=1,
    status_pages=1,
    settle_seconds=1,
    talk_seconds=4,
    wind_down_seconds=2,
    idle_seconds=1,
    line_every=1.5,
    typing_seconds=(0.2, 0.4),
    presence_seconds=1,
)


def test_percentiles_are_values_that_were_measured():
    values = [float(n) for n in range(100, 0, -1)]
    assert measure.percentile(values, 0.50) == 50
    assert measure.percentile(values, 0.95) == 95
    assert measure.percentile(values, 0.99) == 99
    assert measure.percentile([3.0, 1.0, 2.0], 0.5) == 2
    assert measure.percentile([0.2], 0.99) == 0.2
    assert measure.percentile([], 0.95) is None


def test_the_cpu_meter_keeps_the_time_of_a_process_that_has_ended():
    burner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nt=time.process_time()\nwhile time.process_time()-t<0.3: pass\ntime.sleep(0.5)",
        ]
    )
    meter = measure.CpuMeter()
    try:
        while burner.poll() is None:
            meter.look([burner.pid])
    finally:
        burner.wait()
    meter.look([burner.pid])  # gone now: what was seen stays
    assert meter.total() >= 0.2


def test_the_event_loops_share_counts_the_first_thread_alone():
    """A worker's event loop is its first thread; the pages' threads are counted apart."""
    burner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import threading, time\n"
            "def burn():\n"
            "    t = time.thread_time()\n"
            "    while time.thread_time() - t < 0.4: pass\n"
            "worker = threading.Thread(target=burn); worker.start(); worker.join()\n"
            "time.sleep(2)",
        ]
    )
    try:
        process = thread = 0.0
        deadline = time.monotonic() + 10
        while process < 0.3 and time.monotonic() < deadline:
            process, thread = measure.cpu_seconds(burner.pid), measure.main_thread_cpu_seconds(burner.pid)
            time.sleep(0.05)
    finally:
        burner.kill()
        burner.wait()
    assert process >= 0.3
    assert thread < 0.2


def test_the_report_says_what_the_pages_asked_for_while_talking_most_first():
    outcome = Outcome(push=True, tally=clients.Tally(), seconds={"talk": 10.0, "idle": 5.0})
    outcome.tally.kinds.update(
        {("talk", "chat/typing"): 120, ("talk", "chat/…/send"): 45, ("idle", "chat/…/poll"): 7}
    )

    assert report.requests_by_kind(outcome, "talk") == "chat/typing 12.0, chat/…/send 4.5"
    assert report.requests_by_kind(outcome, "idle") == "chat/…/poll 1.4"
    assert report.requests_by_kind(outcome, "wind-down") == "–"


def test_a_mode_not_run_is_an_empty_column_and_push_alone_is_still_judged():
    push = Outcome(push=True, tally=clients.Tally(), seconds={"talk": 10.0, "idle": 5.0})
    push.tally.line_latency = [0.1, 0.2, 0.3]

    drawn = report.table(TINY, None, push)

    assert "polling (not run)" in drawn
    assert "talking 10 s" in drawn
    assert "p95 delivery under 500 ms: yes" in drawn
    assert "requests while talking in polling mode" not in drawn


def test_a_request_s_kind_leaves_out_its_tokens_all_letters_ones_too():
    assert clients._kind_of("/chat/12/send/") == "chat/…/send"
    assert clients._kind_of("/status/PlxpjMqfATtTtIBCXaQIAOkQxFzMGLZISPsWYABlFoo/live/") == "status/…/live"
    assert clients._kind_of("/agent/tickets/AB7K-Q2MX/chat/poll/?after=3") == "agent/tickets/…/chat/poll"


def test_the_pages_never_target_another_machine():
    with pytest.raises(ValueError, match="loopback"):
        clients.Run("http://192.0.2.10:8000", push=False, line_every=1, seed=1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("push", [False, True], ids=["polling", "push"])
def test_a_few_seconds_of_chats_reach_the_other_side(live_server, roles, push):
    with override_settings(LIVE_PUSH=False):
        world = seed.seed(chats=TINY.chats, chats_per_agent=2, lobby_screens=1, status_pages=1)
    phases = []
    with override_settings(LIVE_PUSH=push):
        outcome = asyncio.run(exercise(live_server.url, world, TINY, push=push, phase=phases.append))

    tally = outcome.tally
    assert phases == ["talk", "wind-down", "idle", "end"]
    assert dict(tally.errors) == {}
    assert outcome.missed == 0
    assert tally.sent >= 2
    assert tally.received == tally.sent == len(tally.line_latency)
    assert all(0 < latency < 5 for latency in tally.line_latency)
    assert len(tally.send_round_trip) == tally.sent  # every line's POST was answered, and timed
    assert tally.loop_lag  # the load generator watched its own loop while the chats went on
    assert tally.requests["talk"] > 0
    presence = Counter({phase: n for (phase, kind), n in tally.kinds.items() if kind.endswith("/presence")})
    if push:
        # The agent's page says "still here" by its stream: it asks only when told (at most
        # once, catching up as its stream opens), nothing while the chats go on.
        assert presence["talk"] + presence["wind-down"] + presence["idle"] == 0
        # Both sides of both chats, the lobby screen and the status page hold their stream.
        assert tally.streams == 6
        assert tally.event_latency
    else:
        # Without push each agent's page says it every second here (every 10 s on a site).
        assert presence["talk"] >= 4
        assert tally.streams == 0
        assert not tally.event_latency
