"""Fixtures of the feedback tests: a Budapest office in March 2026, resolved tickets, surveys."""

from datetime import UTC, datetime

import pytest

from feedback import surveying
from feedback.models import Survey

# Monday 2 March 2026, 10:00 in Budapest (09:00 UTC): the office is open (08:00-17:00).
MONDAY_10 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def resolved_ticket(make_ticket, agent, time_machine):
    """A request resolved by Anna on Monday 2 March 2026 at 10:00 Budapest time."""
    time_machine.move_to(MONDAY_10, tick=False)
    ticket = make_ticket()
    ticket.assign(agent)
    ticket.resolve(by=agent, note="Refunded the second charge.")
    return ticket


@pytest.fixture
def sent_survey(resolved_ticket, time_machine):
    """The follow-up of `resolved_ticket`, sent on Wednesday at 10:00 as scheduled."""
    surveying.schedule_surveys()
    survey = Survey.objects.get(ticket=resolved_ticket)
    time_machine.move_to(survey.due_at, tick=False)
    assert surveying.send_due_surveys() == 1
    survey.refresh_from_db()
    return survey
