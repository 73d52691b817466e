"""An undecided proposal is handed over to the next manager in business time; never approved by the clock."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from crisis import tasks
from crisis.compensation import services
from crisis.models import AuditEntry, CompensationProposal
from tests.crisis.compensation.conftest import credit

pytestmark = pytest.mark.django_db
BUDAPEST = ZoneInfo("Europe/Budapest")


def budapest(*parts) -> datetime:
    return datetime(*parts, tzinfo=BUDAPEST)


# Friday 13 March 2026, 15:00: eight business hours (08-17 weekdays) run out on Tuesday at 14:00.
FRIDAY_15 = budapest(2026, 3, 13, 15)


@pytest.fixture
def waiting(affected, incident, agent, settings):
    settings.COMPENSATION_DECISION_HOURS = 8
    with time_machine.travel(FRIDAY_15, tick=False):
        return services.propose(ticket=affected, incident=incident, offer=credit(20000), by=agent)


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return tasks.hand_over_overdue_proposals()


def test_the_deadline_is_in_the_queues_business_time(waiting):
    # Friday 15-17 (2 h), Monday 8-17 (9 h) would be 11: the 8 hours end Monday at 14:00.
    assert waiting.decide_by == budapest(2026, 3, 16, 14)


def test_nothing_is_handed_over_before_the_deadline(waiting):
    assert scan_at(budapest(2026, 3, 16, 13, 59)) == "0 handed over"
    waiting.refresh_from_db()
    assert waiting.handovers == 0
    with time_machine.travel(budapest(2026, 3, 16, 13, 59), tick=False):
        assert not waiting.is_overdue


def test_past_the_deadline_it_goes_to_the_next_manager_and_shows_overdue(waiting, manager, second_manager):
    assert waiting.decider == manager

    assert scan_at(budapest(2026, 3, 16, 14, 5)) == "1 handed over"

    waiting.refresh_from_db()
    assert waiting.state == CompensationProposal.State.PENDING  # never approved by the clock
    assert waiting.decider == second_manager
    assert waiting.overdue_since == budapest(2026, 3, 16, 14, 5)
    assert waiting.decide_by == budapest(2026, 3, 17, 13, 5)  # a new business-time window
    entry = AuditEntry.objects.get(proposal=waiting, action=AuditEntry.Action.HANDED_OVER)
    assert entry.actor is None
    assert entry.before["decider"] == "marek"
    assert entry.after["decider"] == "zofia"
    assert [message.to for message in mail.outbox] == [["zofia@helpdesk.example"]]
    assert CompensationProposal.objects.overdue(budapest(2026, 3, 16, 14, 5)).get() == waiting


def test_a_second_scan_does_not_hand_over_twice(waiting, second_manager):
    scan_at(budapest(2026, 3, 16, 14, 5))

    assert scan_at(budapest(2026, 3, 16, 14, 6)) == "0 handed over"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.HANDED_OVER).count() == 1


def test_with_no_further_manager_it_stays_with_the_last_and_keeps_waiting(waiting, manager):
    scan_at(budapest(2026, 3, 16, 14, 5))
    scan_at(budapest(2026, 3, 20, 9))

    waiting.refresh_from_db()
    assert waiting.decider == manager
    assert waiting.handovers == 2
    assert waiting.state == CompensationProposal.State.PENDING


def test_a_decided_proposal_is_not_handed_over(waiting, manager):
    waiting.approve(by=manager)

    assert scan_at(budapest(2026, 3, 20, 9)) == "0 handed over"


def test_the_handover_scan_is_scheduled():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="hand over overdue compensation")
    assert schedule.func == "crisis.tasks.hand_over_overdue_proposals"
