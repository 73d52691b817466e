"""A bulk change whose worker died half-way is finished by the next run: every request changed
once, every customer told once.

The worker's death is simulated in the process, as an exception that no code of ours catches,
raised in the middle of a batch: the database rolls back that batch, exactly as it does for the
connection of a killed worker.
"""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django_q.models import OrmQ

from helpdesk import bulk, tasks
from helpdesk.mail import delivery
from helpdesk.models import BulkChange, Notification, Ticket, TicketEntry

BUDAPEST = ZoneInfo("Europe/Budapest")
STARTED = datetime(2026, 3, 16, 15, tzinfo=BUDAPEST)
CUSTOMERS = 55  # two requests each: 110, so the change goes to the worker
DIES_ON_TICKET = 60  # in the middle of the third batch of 25


class WorkerDied(BaseException):
    """Stands for the process ending: nothing in the task catches it."""


@pytest.fixture(autouse=True)
def monday_afternoon():
    with time_machine.travel(STARTED, tick=False):
        yield


@pytest.fixture
def tickets(make_ticket):
    return [
        make_ticket(email=f"customer{number}@example.hu", subject=f"Bill {copy}")
        for number in range(CUSTOMERS)
        for copy in range(2)
    ]


@pytest.fixture
def started_change(client, agent, tickets, django_capture_on_commit_callbacks) -> BulkChange:
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/agent/bulk/",
            {
                "ticket": [t.pk for t in tickets],
                "action": "status:resolved",
                "filter": "",
                "message": "We refunded the double charge.",
                "confirm": "1",
            },
        )
    assert response.status_code == 302
    return BulkChange.objects.get()


def worker_dies_after(monkeypatch, count: int) -> None:
    move_to, calls = Ticket.move_to, []

    def dying_move_to(ticket, *args, **kwargs):
        calls.append(ticket.pk)
        if len(calls) == count:
            raise WorkerDied
        return move_to(ticket, *args, **kwargs)

    monkeypatch.setattr(Ticket, "move_to", dying_move_to)


def resolved_events(tickets) -> Counter:
    events = TicketEntry.objects.filter(event=TicketEntry.Event.STATUS_CHANGED, data__to="resolved")
    return Counter(events.filter(ticket__in=tickets).values_list("ticket_id", flat=True))


def test_a_change_whose_worker_died_is_finished_once_by_the_resume(
    client, monkeypatch, tickets, started_change, django_capture_on_commit_callbacks
):
    worker_dies_after(monkeypatch, DIES_ON_TICKET)
    with pytest.raises(WorkerDied):
        tasks.run_bulk_change(started_change.pk)
    monkeypatch.undo()

    started_change.refresh_from_db()
    assert (started_change.state, started_change.processed) == ("running", 50)  # two whole batches
    assert sum(resolved_events(tickets).values()) == 50
    assert not Notification.objects.exists()  # the customers are told at the end
    progress = client.get(f"/agent/bulk/{started_change.pk}/").text
    assert "50 of 110 done" in progress

    # While its lease lasts the run may be alive: nothing takes the change from it.
    OrmQ.objects.all().delete()
    with time_machine.travel(STARTED + timedelta(minutes=1), tick=False):
        assert tasks.resume_bulk_changes() == "0 bulk change(s) resumed"
        assert tasks.run_bulk_change(started_change.pk) == "already taken"

    with time_machine.travel(STARTED + BulkChange.LEASE + timedelta(minutes=1), tick=False):
        assert tasks.resume_bulk_changes() == "1 bulk change(s) resumed"
        queued = [task.task for task in OrmQ.objects.all()]
        assert [task["args"] for task in queued if task["func"] == "helpdesk.tasks.run_bulk_change"] == [
            (started_change.pk,)
        ]
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.run_bulk_change(started_change.pk) == "110 changed, 0 skipped"
        assert tasks.resume_bulk_changes() == "0 bulk change(s) resumed"
        assert tasks.run_bulk_change(started_change.pk) == "already taken"
        delivery.deliver_due()

    assert set(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("status", flat=True)) == {
        "resolved"
    }
    assert set(resolved_events(tickets).values()) == {1}  # every request changed once
    assert len(resolved_events(tickets)) == 110
    told = Counter(Notification.objects.values_list("to_email", flat=True))
    assert told == {f"customer{number}@example.hu": 1 for number in range(CUSTOMERS)}
    assert Counter(address for message in mail.outbox for address in message.to) == told
    assert "110 of 110 done" in client.get(f"/agent/bulk/{started_change.pk}/").text


def test_a_change_the_broker_lost_is_started_by_the_resume(started_change):
    assert started_change.state == "pending"
    with time_machine.travel(STARTED + BulkChange.LEASE + timedelta(seconds=1), tick=False):
        assert bulk.resume_stalled() == [started_change.pk]
        assert tasks.run_bulk_change(started_change.pk) == "110 changed, 0 skipped"


def test_of_two_runs_after_a_death_one_records_each_batch(monkeypatch, tickets, started_change):
    worker_dies_after(monkeypatch, 30)
    with pytest.raises(WorkerDied):
        tasks.run_bulk_change(started_change.pk)
    monkeypatch.undo()
    slow_run = BulkChange.objects.get(pk=started_change.pk)  # read before the lease ran out

    with time_machine.travel(STARTED + BulkChange.LEASE + timedelta(minutes=1), tick=False):
        assert tasks.run_bulk_change(started_change.pk) == "110 changed, 0 skipped"
        with pytest.raises(BulkChange.TakenOver):
            slow_run.record_progress(changed=[tickets[25].pk], skipped=[])

    assert set(resolved_events(tickets).values()) == {1}
    assert Notification.objects.count() == CUSTOMERS


def test_the_resume_is_scheduled_every_minute_by_a_migration(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="resume stalled bulk changes")
    assert schedule.func == "helpdesk.tasks.resume_bulk_changes"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)
