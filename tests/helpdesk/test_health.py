"""/healthz tells monitoring whether the database answers and the worker runs."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from helpdesk.models import WorkerHeartbeat
from helpdesk.tasks import record_worker_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_a_worker_that_never_ran(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "degraded",
        "database": {"ok": True},
        "worker": {"ok": False, "last_heartbeat": None, "age_seconds": None},
    }


def test_healthz_reports_the_worker_alive_after_its_heartbeat(client):
    record_worker_heartbeat()
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True
    assert body["worker"]["age_seconds"] == 0


def test_healthz_reports_a_worker_that_stopped_beating(client):
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        record_worker_heartbeat()
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
