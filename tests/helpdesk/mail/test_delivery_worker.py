"""A worker killed in the middle of sending loses nothing and sends nothing twice.

The real thing: a real SMTP server on a loopback port, the real django-q2 worker as its own
process on the test database, and SIGKILL while a message is on the wire.
"""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_q.tasks import async_task

from helpdesk.mail.delivery import SENDING_TIMEOUT
from helpdesk.models import Notification
from tests.helpdesk.local_smtp import LocalSmtpServer, RecordingHandler
from tests.helpdesk.test_worker import PROJECT, database_url_of_test_database

CUSTOMERS = 30
KILL_ON_MESSAGE = 11  # the worker dies while this message is on the wire
LOG_TAIL = 5000  # characters of the worker's log a failure shows


def start_worker(
    smtp: LocalSmtpServer, workers: int, environment: dict[str, str] | None = None
) -> subprocess.Popen:
    env = {
        **os.environ,
        **smtp.email_settings(),
        "DATABASE_URL": database_url_of_test_database(),
        "Q_WORKERS": str(workers),
        **(environment or {}),
    }
    env.pop("REDIS_URL", None)  # the queue must be the test database too
    # A file, not a pipe: a pipe nobody reads fills up and stalls the worker.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the worker in stop())
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so SIGKILL takes every process of it
    )
    worker.log = log
    return worker


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    worker.log.close()


def wait_until(condition, *, seconds: float, worker: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out waiting on the worker{log_of(worker)}")
        if worker is not None and worker.poll() is not None and not condition():
            pytest.fail(f"the worker stopped{log_of(worker)}")
        time.sleep(0.2)  # polling real processes, not waiting out business time


def log_of(worker: subprocess.Popen | None) -> str:
    """The end of the worker's log, for a failure's message."""
    if worker is None:
        return ""
    worker.log.seek(0)
    return f"; its log ends:\n{worker.log.read().decode(errors='replace')[-LOG_TAIL:]}"


def statuses() -> dict[str, str]:
    return dict(Notification.objects.values_list("message_id", "status"))


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_send_loses_nothing_and_sends_nothing_twice(make_ticket):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: run with DATABASE_URL=postgres://…")
    # Thirty customers write in; each acknowledgement is written to the outbox and its delivery
    # task enqueued on commit. The scheduled scan is queued as well, to race those tasks.
    for number in range(CUSTOMERS):
        make_ticket(email=f"customer{number}@example.hu", acknowledge=True)
    async_task("helpdesk.tasks.deliver_due_notifications")
    assert Notification.objects.filter(status="pending").count() == CUSTOMERS

    worker = None
    killed = threading.Event()

    def kill_the_worker_mid_send(number):
        # The worker has claimed this message and is waiting for the server's answer to DATA.
        if number == KILL_ON_MESSAGE:
            os.killpg(worker.pid, signal.SIGKILL)
            killed.set()
        return not killed.is_set()

    handler = RecordingHandler(delay=0.05, before_accepting=kill_the_worker_mid_send)
    with LocalSmtpServer(handler) as smtp:
        worker = start_worker(smtp, workers=1)
        try:
            wait_until(killed.is_set, seconds=90, worker=worker)
            worker.wait(timeout=30)
        finally:
            stop(worker)

        # Some but not all arrived; each one that arrived is recorded sent, nothing else is.
        received = handler.message_ids()
        assert 0 < len(received) < CUSTOMERS
        assert set(received.values()) == {1}
        after_kill = statuses()
        assert {mid for mid, status in after_kill.items() if status == "sent"} == set(received)
        unsent = {status for mid, status in after_kill.items() if mid not in received}
        assert unsent <= {"pending", "sending"}
        assert "sending" in unsent  # the message on the wire when the worker died
        assert len(after_kill) == CUSTOMERS

        # Later: the stalled claim is old enough to be released (time moved, not waited out).
        Notification.objects.filter(status="sending").update(
            claimed_at=timezone.now() - SENDING_TIMEOUT - timedelta(minutes=1)
        )
        # A new worker: the scheduled scan and a fresh task per row race for every message.
        handler.before_accepting = None
        async_task("helpdesk.tasks.deliver_due_notifications")
        for notification_id in Notification.objects.exclude(status="sent").values_list("pk", flat=True):
            async_task("helpdesk.tasks.deliver_notification", notification_id)
        worker = start_worker(smtp, workers=2)
        try:
            wait_until(
                lambda: not Notification.objects.exclude(status="sent").exists(), seconds=120, worker=worker
            )
        finally:
            stop(worker)
            connection.close()

    received = handler.message_ids()
    assert set(received) == set(statuses())
    assert set(received.values()) == {1}, "a message was received twice"
    assert set(statuses().values()) == {"sent"}
    assert Notification.objects.filter(ticket__entries__event="notified").distinct().count() == CUSTOMERS
