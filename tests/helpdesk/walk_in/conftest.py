"""A branch in Budapest with two lines (A general, B payments) and three desks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from helpdesk.models import Branch, BranchService, Desk
from helpdesk.walk_in import visits
from tests.factories import queue_with_default_sla

BUDAPEST = ZoneInfo("Europe/Budapest")
# A Wednesday morning: the branch is open.
OPEN_MORNING = datetime(2026, 3, 18, 9, 0, tzinfo=BUDAPEST)


def budapest(*args) -> datetime:
    return datetime(*args, tzinfo=BUDAPEST)


def _queue(slug, calendar, manager):
    return queue_with_default_sla(name=f"Walk-in {slug}", slug=slug, calendar=calendar, manager=manager)


@pytest.fixture
def branch(budapest_calendar):
    return Branch.objects.create(
        name="Budapest, Váci út", slug="vaci", address="Váci út 37", calendar=budapest_calendar
    )


@pytest.fixture
def line_a(branch, budapest_calendar, manager):
    return BranchService.objects.create(
        branch=branch,
        letter="A",
        name_en="General questions",
        name_hu="Általános ügyintézés",
        name_pl="Sprawy ogólne",
        queue=_queue("walk-in-a", budapest_calendar, manager),
        position=0,
    )


@pytest.fixture
def line_b(branch, budapest_calendar, manager):
    return BranchService.objects.create(
        branch=branch,
        letter="B",
        name_en="Bills and payments",
        name_hu="Számlák és befizetések",
        name_pl="Rachunki i płatności",
        queue=_queue("walk-in-b", budapest_calendar, manager),
        position=1,
    )


@pytest.fixture
def desk(branch, line_a, line_b, agent):
    """Desk 1 calls from every line; Anna sits at it."""
    desk = Desk.objects.create(branch=branch, label="1")
    desk.sit_down(agent)
    return desk


@pytest.fixture
def other_desk(branch, line_a, line_b, other_agent):
    desk = Desk.objects.create(branch=branch, label="2")
    desk.sit_down(other_agent)
    return desk


@pytest.fixture
def open_morning():
    with time_machine.travel(OPEN_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def check_in(line_a, agent):
    """Check a visitor in at the front desk (line A unless told otherwise)."""
    counter = iter(range(1, 10_000))

    def make(service=None, **overrides):
        number = next(counter)
        arguments = {
            "service": service or line_a,
            "name": f"Visitor {number}",
            "need": "New contract",
            "phone": f"+36 30 555 {number:04d}",
            "language": "hu",
            "by": agent,
            **overrides,
        }
        return visits.check_in(**arguments)

    return make
