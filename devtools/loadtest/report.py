"""The load test's table: polling and push side by side."""

from __future__ import annotations

from collections import Counter

from devtools.loadtest import clients
from devtools.loadtest.measure import percentile
from devtools.loadtest.run import Outcome, Plan

# The targets for push mode on a two-core machine.
P95_TARGET_MS = 500
IDLE_WEB_CORES_TARGET = 0.25


def _ms(values: list[float]) -> str:
    figures = [percentile(values, share) for share in (0.50, 0.95, 0.99)]
    if figures[0] is None:
        return "–"
    return " / ".join(f"{figure * 1000:.0f}" for figure in figures)


def _per_second(outcome: Outcome, phase: str) -> str:
    seconds = outcome.seconds.get(phase) or 0
    return f"{outcome.tally.requests[phase] / seconds:.0f}" if seconds else "–"


def _cpu(outcome: Outcome, phase: str, part: str) -> str:
    return f"{outcome.cpu.get(phase, {}).get(part, 0.0):.1f}"


def idle_web_cores(outcome: Outcome) -> float:
    seconds = outcome.seconds.get("idle") or 0
    return outcome.cpu.get("idle", {}).get("web", 0.0) / seconds if seconds else 0.0


def requests_by_kind(outcome: Outcome, phase: str) -> str:
    """The requests of a phase by kind (path without its tokens), most frequent first: what the
    pages asked for, and so what the web processes' CPU went on."""
    seconds = outcome.seconds.get(phase) or 0
    counts = Counter({kind: count for (at, kind), count in outcome.tally.kinds.items() if at == phase})
    if not seconds or not counts:
        return "–"
    return ", ".join(f"{kind} {count / seconds:.1f}" for kind, count in counts.most_common())


def errors(outcome: Outcome) -> int:
    return sum(outcome.tally.errors.values()) + outcome.missed


def table(plan: Plan, polling: Outcome | None, push: Outcome | None) -> str:
    """Both modes side by side; a mode not run (`--modes`) is an empty column."""
    ran = {"polling": polling is not None, "push": push is not None}
    polling = polling or Outcome(push=False, tally=clients.Tally())
    push = push or Outcome(push=True, tally=clients.Tally())
    measured = polling if ran["polling"] else push
    talk, idle = measured.seconds.get("talk", 0), measured.seconds.get("idle", 0)
    rows = [
        (
            "delivery p50 / p95 / p99, ms (line on the other page)",
            _ms(polling.tally.line_latency),
            _ms(push.tally.line_latency),
        ),
        ("  stream says 'changed', p50 / p95 / p99, ms", "–", _ms(push.tally.event_latency)),
        (
            "  sender's POST answered, p50 / p95 / p99, ms",
            _ms(polling.tally.send_round_trip),
            _ms(push.tally.send_round_trip),
        ),
        (
            "  load generator's own lateness, p50 / p95 / p99, ms",
            _ms(polling.tally.loop_lag),
            _ms(push.tally.loop_lag),
        ),
        (
            "chat lines sent / shown on the other side",
            *(f"{o.tally.sent} / {o.tally.received}" for o in (polling, push)),
        ),
        ("requests per second served, talking", _per_second(polling, "talk"), _per_second(push, "talk")),
        (
            "requests per second served, nobody typing",
            _per_second(polling, "idle"),
            _per_second(push, "idle"),
        ),
        ("streams opened", str(polling.tally.streams), str(push.tally.streams)),
        ("CPU s, web processes, talking", _cpu(polling, "talk", "web"), _cpu(push, "talk", "web")),
        (
            "  of which the workers' event loops",
            _cpu(polling, "talk", "web event loops"),
            _cpu(push, "talk", "web event loops"),
        ),
        (
            "CPU s, PostgreSQL backends, talking",
            _cpu(polling, "talk", "postgresql"),
            _cpu(push, "talk", "postgresql"),
        ),
        ("CPU s, worker, talking", _cpu(polling, "talk", "worker"), _cpu(push, "talk", "worker")),
        (
            "CPU s, load generator, talking",
            _cpu(polling, "talk", "load generator"),
            _cpu(push, "talk", "load generator"),
        ),
        ("CPU s, web processes, nobody typing", _cpu(polling, "idle", "web"), _cpu(push, "idle", "web")),
        (
            "CPU s, PostgreSQL backends, nobody typing",
            _cpu(polling, "idle", "postgresql"),
            _cpu(push, "idle", "postgresql"),
        ),
        (
            "web CPU nobody typing, share of one core",
            f"{idle_web_cores(polling):.3f}",
            f"{idle_web_cores(push):.3f}",
        ),
        ("errors (non-2xx, connection, missed lines)", str(errors(polling)), str(errors(push))),
        ("web workers restarted by gunicorn", str(polling.workers_restarted), str(push.workers_restarted)),
        ("load average (1 min) at the end", f"{polling.load_average[0]:.2f}", f"{push.load_average[0]:.2f}"),
    ]
    width = max(len(label) for label, *_ in rows) + 2
    lines = [
        f"{plan.chats} chats (customer and agent pages; {plan.chats_per_agent} per agent), "
        f"{plan.lobby_screens} lobby screens, {plan.status_pages} status pages; "
        f"{plan.web_workers} web workers; talking {talk:.0f} s "
        f"(a line per side every ~{plan.line_every:.0f} s), "
        f"nobody typing {idle:.0f} s",
        "",
        "".join([f"{'':<{width}}", *(f"{n if ran[n] else n + ' (not run)':>22}" for n in ran)]),
    ]
    lines += [f"{label:<{width}}{left:>22}{right:>22}" for label, left, right in rows]
    polling_idle, push_idle = idle_web_cores(polling), idle_web_cores(push)
    ratio = f"{push_idle / polling_idle:.3f}" if polling_idle and push_idle else "–"
    lines.append(f"{'web CPU nobody typing, push / polling':<{width}}{ratio:>44}")
    modes = [(name, outcome) for name, outcome in (("polling", polling), ("push", push)) if ran[name]]
    for name, outcome in modes:
        if outcome.tally.errors or outcome.missed:
            found = ", ".join(f"{what}: {count}" for what, count in outcome.tally.errors.most_common())
            lines.append(f"errors in {name} mode: {found or '-'}; missed lines: {outcome.missed}")
            lines += [f"  server: {line[-400:]}" for line in outcome.server_errors[-3:]]
    for name, outcome in modes:
        asked = requests_by_kind(outcome, "talk")
        lines.append(f"requests while talking in {name} mode, per second: {asked}")
    if not ran["push"]:
        return "\n".join(lines)
    p95 = percentile(push.tally.line_latency, 0.95)
    verdicts = [
        ("p95 delivery under 500 ms", p95 is not None and p95 * 1000 < P95_TARGET_MS),
        ("zero errors", errors(push) == 0),
        ("web CPU nobody typing under 0.25 core", push_idle < IDLE_WEB_CORES_TARGET),
    ]
    lines.append(
        "push mode against the targets: "
        + "; ".join(f"{what}: {'yes' if ok else 'NO'}" for what, ok in verdicts)
    )
    return "\n".join(lines)
