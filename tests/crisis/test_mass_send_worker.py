"""Subscribers in several batches, the worker killed half-way and started again: each gets
exactly one message.

The real thing, as in tests/helpdesk/mail/test_delivery_worker.py: a real SMTP server on a loopback
port, the real django-q2 worker as its own process on the test database, SIGKILL mid-send. Five
batches prove the mechanism; the same run with 10,000 subscribers and the production batch is
part of `make bench` (devtools.bench.mass_send).
"""

import os
import signal
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ
from django_q.tasks import async_task

from crisis import sending
from crisis.models import IncidentUpdate, Subscription, UpdateRecipient
from helpdesk.mail.delivery import SENDING_TIMEOUT
from helpdesk.models import Notification
from tests.crisis.conftest import UPDATE
from tests.helpdesk.local_smtp import LocalSmtpServer, RecordingHandler
from tests.helpdesk.mail.test_delivery_worker import start_worker, stop, wait_until

SUBSCRIBERS = 120
BATCH = 25  # INCIDENT_UPDATE_BATCH of the worker: five batches
KILL_ON_MESSAGE = SUBSCRIBERS // 2  # in the middle of the third batch
WORKER_SETTINGS = {"INCIDENT_UPDATE_BATCH": str(BATCH)}


def addresses(handler: RecordingHandler) -> Counter:
    with handler.lock:
        return Counter(message["To"] for message in handler.received)


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_each_subscriber_gets_exactly_one_message_across_a_worker_restart(incident, agent, manager):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: run with DATABASE_URL=postgres://…")
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(
            incident=incident,
            email=f"subscriber{number}@example.com",
            language=("en", "hu", "pl")[number % 3],
            token_hash=f"test-{number}",  # stands for a hash: no confirmation link is needed
            confirmed_at=now,
        )
        for number in range(SUBSCRIBERS)
    )
    # The declaration's statement went out before anyone subscribed (its task ran then).
    OrmQ.objects.all().delete()
    IncidentUpdate.objects.filter(incident=incident).update(recipient_count=0, sending_finished_at=now)
    update = IncidentUpdate.draft(incident, by=agent, texts=UPDATE)
    update.publish(by=manager)  # enqueues the sending (on commit: this test commits)

    worker = None
    killed = threading.Event()

    def kill_the_worker_half_way(number):
        if number == KILL_ON_MESSAGE:
            os.killpg(worker.pid, signal.SIGKILL)
            killed.set()
        return not killed.is_set()

    handler = RecordingHandler(before_accepting=kill_the_worker_half_way)
    with LocalSmtpServer(handler) as smtp:
        worker = start_worker(smtp, workers=1, environment=WORKER_SETTINGS)
        try:
            wait_until(killed.is_set, seconds=90, worker=worker)
            worker.wait(timeout=30)
        finally:
            stop(worker)

        # Half-way: what arrived arrived once; nothing is lost, the rest is not written yet, and
        # what is written is whole batches (a batch is written completely or not at all).
        received = addresses(handler)
        assert 0 < len(received) < SUBSCRIBERS
        assert set(received.values()) == {1}
        assert UpdateRecipient.objects.filter(update=update).count() == SUBSCRIBERS
        written = UpdateRecipient.objects.filter(update=update, notification__isnull=False).count()
        assert written == 3 * BATCH
        assert UpdateRecipient.objects.filter(update=update, notification__isnull=True).exists()

        # Later: the scheduled scan finds the unfinished sending and the stalled message's claim
        # has expired (time moved, not waited out).
        Notification.objects.filter(status="sending").update(
            claimed_at=timezone.now() - SENDING_TIMEOUT - timedelta(minutes=1)
        )
        IncidentUpdate.objects.filter(pk=update.pk).update(
            published_at=timezone.now() - timedelta(minutes=10)
        )
        handler.before_accepting = None
        async_task("crisis.tasks.resume_update_sending")
        worker = start_worker(smtp, workers=2, environment=WORKER_SETTINGS)
        try:
            wait_until(lambda: sending.progress(update)["sent"] == SUBSCRIBERS, seconds=120, worker=worker)
        finally:
            stop(worker)
            connection.close()

    received = addresses(handler)
    assert len(received) == SUBSCRIBERS
    assert set(received.values()) == {1}, "an address received the update twice"
    assert set(received) == {f"subscriber{number}@example.com" for number in range(SUBSCRIBERS)}
    progress = sending.progress(update)
    assert (progress["sent"], progress["pending"], progress["failed"]) == (SUBSCRIBERS, 0, 0)
