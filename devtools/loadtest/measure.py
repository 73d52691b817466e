"""What the load test measures: latencies as percentiles, and the CPU time processes used,
read from /proc (Linux)."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (`share` 0.95 for p95): a value that was measured, never an
    interpolation between two; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process (all its threads) so far; 0 once it has gone."""
    return _stat_cpu_seconds(f"/proc/{pid}/stat")


def main_thread_cpu_seconds(pid: int) -> float:
    """The same for the process's first thread alone: an ASGI worker's event loop (its HTTP,
    its streams), as against the threads that serve its pages."""
    return _stat_cpu_seconds(f"/proc/{pid}/task/{pid}/stat")


def _stat_cpu_seconds(path: str) -> float:
    try:
        with open(path) as stat:
            text = stat.read()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # The command name in parentheses may hold spaces: the fields after it are fixed.
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers, qcluster's)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry))
    return found


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(children(current))
    return pids


class CpuMeter:
    """CPU seconds used by a changing set of processes (workers come and go; PostgreSQL backends
    open and close): each process's time is remembered from the last look at it, so one that
    ended between two looks still counts up to then. Look often (`look`), read per phase."""

    def __init__(self, read=cpu_seconds):
        self.read = read
        self.seen: dict[int, float] = {}

    def look(self, pids: Iterable[int]) -> None:
        for pid in pids:
            used = self.read(pid)
            if used >= self.seen.get(pid, 0.0):
                self.seen[pid] = used

    def total(self) -> float:
        return sum(self.seen.values())
