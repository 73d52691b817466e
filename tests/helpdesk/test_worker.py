"""The real django-q2 worker, started as its own process, runs the health task."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_q.tasks import async_task

from helpdesk.models import WorkerHeartbeat

PROJECT = Path(__file__).resolve().parents[2]


def database_url_of_test_database():
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_worker_process_runs_the_heartbeat_task():
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: run with DATABASE_URL=postgres://…")
    async_task("helpdesk.tasks.record_worker_heartbeat")
    env = {**os.environ, "DATABASE_URL": database_url_of_test_database(), "Q_WORKERS": "1"}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so stopping it leaves none of it behind
    )
    try:
        deadline = time.monotonic() + 60
        while not WorkerHeartbeat.objects.exists() and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stderr.read()
            time.sleep(0.2)  # polling a real process, not waiting out business time
        assert WorkerHeartbeat.objects.get().is_fresh
    finally:
        stop_as_its_unit_does(worker)
        connection.close()


def stop_as_its_unit_does(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM to the main process alone, then SIGKILL to whatever is left of its process group,
    as systemd stops the worker and web units (KillMode=mixed in deploy/systemd). django-q's
    cluster stops its own processes on its main process's SIGTERM; a SIGTERM to every process of
    the group at once left it waiting for workers already gone until the timeout ran out."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # started in a group of its own


def start_worker(name: str) -> subprocess.Popen:
    """`manage.py qcluster` as a node of its own, in its own process group (so all of it can die)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_database(),
        "Q_WORKERS": "1",
        "WORKER_NAME": name,
        "WORKER_HEARTBEAT_INTERVAL": "1",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def healthz_until(client, done, timeout=30):
    deadline = time.monotonic() + timeout
    body = client.get("/healthz").json()
    while not done(body) and time.monotonic() < deadline:
        time.sleep(0.2)  # polling real processes, not waiting out business time
        body = client.get("/healthz").json()
    return body


def alive_nodes(body) -> list[str]:
    return [worker["node"] for worker in body["workers"]["alive"]]


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_two_worker_nodes_each_report_their_heartbeat_and_a_killed_one_turns_stale(client, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes need a database they can share: run with DATABASE_URL=postgres://…")
    settings.WORKER_HEARTBEAT_MAX_AGE = 3
    workers = {name: start_worker(name) for name in ("worker-a", "worker-b")}
    try:
        body = healthz_until(client, lambda body: alive_nodes(body) == ["worker-a", "worker-b"])
        assert alive_nodes(body) == ["worker-a", "worker-b"]
        assert body["status"] == "ok"

        os.killpg(workers["worker-b"].pid, signal.SIGKILL)  # the machine is gone, at once
        workers["worker-b"].wait()

        body = healthz_until(client, lambda body: body["workers"]["stale"])
        assert alive_nodes(body) == ["worker-a"]
        assert [worker["node"] for worker in body["workers"]["stale"]] == ["worker-b"]
        assert body["status"] == "degraded"
        assert client.get("/healthz").status_code == 200  # the pages are still served
    finally:
        for worker in workers.values():
            stop_as_its_unit_does(worker)
        connection.close()


def test_the_worker_refuses_a_connection_pool():
    """Its processes are forked from one another: with DATABASE_POOL=1 they shared the pool's open
    connections, and their statements crossed (PostgreSQL answered "bind message supplies 3
    parameters, but prepared statement "_pg3_0" requires 2" and the tasks failed). It says so and
    stops instead, before starting anything."""
    environment = {
        **os.environ,
        "DATABASE_URL": "postgres://helpdesk@127.0.0.1:9/nowhere",
        "DATABASE_POOL": "1",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "qcluster"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "cannot take its connections from a pool (DATABASE_POOL=1)" in result.stderr
