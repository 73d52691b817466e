"""/healthz tells monitoring whether the database answers and which workers run."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from helpdesk.models import WorkerHeartbeat
from helpdesk.tasks import record_worker_heartbeat

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


def test_healthz_reports_a_worker_that_never_ran(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "degraded",
        "database": {"ok": True},
        "worker": {"ok": False, "last_heartbeat": None, "age_seconds": None},
        "workers": {"alive": [], "stale": []},
    }


def test_healthz_reports_the_worker_alive_after_its_heartbeat(client):
    with time_machine.travel(timezone.now(), tick=False):  # the answer in the beat's second
        record_worker_heartbeat()
        body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True
    assert body["worker"]["age_seconds"] == 0


def test_healthz_reports_a_worker_that_stopped_beating(client):
    now = timezone.now()
    with time_machine.travel(now - timedelta(minutes=5), tick=False):
        record_worker_heartbeat()
    # The clock stopped for the answer too: on a busy machine a second passed between the two.
    with time_machine.travel(now, tick=False):
        body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["worker"]["ok"] is False
    assert body["worker"]["age_seconds"] == 300


def test_healthz_is_not_cached_and_only_answers_get(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_heartbeat_keeps_one_row_per_cluster():
    record_worker_heartbeat()
    record_worker_heartbeat()
    assert WorkerHeartbeat.objects.count() == 1


def test_heartbeat_is_scheduled_every_minute_by_a_migration():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="worker heartbeat")
    assert schedule.func == "helpdesk.tasks.record_worker_heartbeat"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)


def test_each_worker_node_reports_its_own_heartbeat_and_healthz_names_the_live_and_the_stale(
    client, settings
):
    settings.WORKER_HEARTBEAT_MAX_AGE = 120
    now = timezone.now()
    with time_machine.travel(now - timedelta(minutes=10), tick=False):
        WorkerHeartbeat.beat("worker-3")
    with time_machine.travel(now - timedelta(seconds=30), tick=False):
        WorkerHeartbeat.beat("worker-2")
    # One stopped clock for the last beat and the answer, whatever the machine's load.
    with time_machine.travel(now, tick=False):
        WorkerHeartbeat.beat("worker-1")
        body = client.get("/healthz").json()

    assert [worker["node"] for worker in body["workers"]["alive"]] == ["worker-1", "worker-2"]
    assert body["workers"]["stale"] == [
        {
            "node": "worker-3",
            "last_heartbeat": body["workers"]["stale"][0]["last_heartbeat"],
            "age_seconds": 600,
        }
    ]
    assert body["workers"]["alive"][1]["age_seconds"] == 30
    assert body["status"] == "degraded"  # one of the three stopped beating
    assert body["worker"]["ok"] is True  # the newest heartbeat, as before


def test_healthz_is_ok_when_every_worker_node_beats(client):
    WorkerHeartbeat.beat("worker-1")
    WorkerHeartbeat.beat("worker-2")

    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["workers"]["stale"] == []


def test_a_node_silent_for_a_day_is_forgotten_at_the_next_beat(client):
    with time_machine.travel(timezone.now() - timedelta(days=1, minutes=1), tick=False):
        WorkerHeartbeat.beat("retired-machine")

    WorkerHeartbeat.beat("worker-1")

    assert list(WorkerHeartbeat.objects.values_list("node", flat=True)) == ["worker-1"]


def test_the_heartbeat_task_beats_for_the_node_it_runs_on(settings):
    settings.WORKER_NAME = "web-and-worker-7"
    record_worker_heartbeat()
    assert WorkerHeartbeat.objects.get().node == "web-and-worker-7"


def test_healthz_answers_503_without_the_database_s_words_when_the_database_is_down():
    # A real unreachable database: a fresh process whose DATABASE_URL names a port nobody
    # listens on, asked for /healthz through Django's test client.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "response = Client().get('/healthz', HTTP_HOST='localhost');"
        "print(json.dumps({'status': response.status_code, 'body': response.content.decode()}))"
    )
    secret_password = "s3cret-db-password"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://helpdesk:{secret_password}@127.0.0.1:9/helpdesk_nowhere",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    answer = json.loads(result.stdout.strip().splitlines()[-1])

    assert answer["status"] == 503
    assert json.loads(answer["body"]) == {
        "status": "error",
        "database": {"ok": False, "error": "The database does not answer."},
        "worker": {"ok": False},
        "workers": {"alive": [], "stale": []},
    }
    for leak in ("127.0.0.1", "helpdesk_nowhere", secret_password, "connection", "port"):
        assert leak not in answer["body"]
    assert "connection" in result.stderr.lower()  # the details go to the log, for the operator
