"""The real django-q2 worker, started as its own process, runs the health task."""

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
    )
    try:
        deadline = time.monotonic() + 60
        while not WorkerHeartbeat.objects.exists() and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stderr.read()
            time.sleep(0.2)  # polling a real process, not waiting out business time
        assert WorkerHeartbeat.objects.get().is_fresh
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        connection.close()
