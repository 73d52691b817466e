"""Fixtures of the agents' notification tests: an open office on a Monday morning."""

from datetime import UTC, datetime

import pytest

# Monday 2 March 2026, 09:00 in Budapest: the office is open.
MONDAY_MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _office_hours(time_machine):
    time_machine.move_to(MONDAY_MORNING, tick=False)


@pytest.fixture
def ticket(make_ticket):
    return make_ticket(email="katalin@example.hu", language="en")
