"""Position in line and an honest estimate of the first answer, from pace and opening hours."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from django_q.models import Schedule

from helpdesk import tasks
from helpdesk.business_time import Calendar
from helpdesk.models import Notification, Priority, Queue, Ticket
from helpdesk.queue import estimates
from helpdesk.queue.estimates import Pace, Progress
from helpdesk.queue.expectations import Expectation, customer_status, expected_first_response

BUDAPEST = ZoneInfo("Europe/Budapest")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BUDAPEST)


@pytest.fixture
def frozen():
    """Freeze time where each test says; tick=False so nothing moves while it runs."""

    def travel(moment):
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        return traveller

    travellers = []

    def start(moment):
        travellers.append(travel(moment))

    yield start
    for traveller in reversed(travellers):
        traveller.stop()


def answered(make_ticket, when: datetime, count: int, **overrides) -> None:
    """`count` tickets of the queue that got their first answer at `when` (spaced a minute apart)."""
    for index in range(count):
        ticket = make_ticket(email=f"earlier{index}@example.hu", **overrides)
        Ticket.objects.filter(pk=ticket.pk).update(first_responded_at=when + timedelta(minutes=index))


def measured(queue: Queue, per_hour: float, sample: int, when: datetime) -> Queue:
    Queue.objects.filter(pk=queue.pk).update(
        pace_per_hour=per_hour, pace_sample=sample, pace_measured_at=when
    )
    return Queue.objects.get(pk=queue.pk)


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("queue__calendar").get(pk=ticket.pk)


# --- position -----------------------------------------------------------------------------


def test_positions_follow_arrival_and_an_urgent_ticket_goes_first(make_ticket, frozen):
    frozen(at(2026, 11, 23, 9, 0))
    first = make_ticket(email="a@example.hu")
    second = make_ticket(email="b@example.hu")
    third = make_ticket(email="c@example.hu")
    assert [estimates.estimate(fresh(t)).position for t in (first, second, third)] == [1, 2, 3]

    urgent = make_ticket(email="d@example.hu", priority=Priority.URGENT)

    assert estimates.estimate(fresh(urgent)).position == 1
    assert [estimates.estimate(fresh(t)).position for t in (first, second, third)] == [2, 3, 4]


def test_a_taken_ticket_leaves_the_line_and_everyone_behind_moves_up(make_ticket, agent, frozen):
    frozen(at(2026, 11, 23, 9, 0))
    first, second = make_ticket(email="a@example.hu"), make_ticket(email="b@example.hu")

    first.assign(agent, by=agent)

    taken = estimates.estimate(fresh(first))
    assert (taken.progress, taken.position, taken.wait) == (Progress.WITH_AGENT, None, None)
    assert customer_status(first, taken) == gettext("An agent is working on your request.")
    assert estimates.estimate(fresh(second)).position == 1


def test_an_answered_ticket_has_no_position_and_no_estimate(make_ticket, frozen):
    frozen(at(2026, 11, 23, 9, 0))
    ticket = make_ticket()
    ticket.mark_first_response(at(2026, 11, 23, 9, 30))

    estimate = estimates.estimate(fresh(ticket))

    assert (estimate.progress, estimate.position, estimate.wait) == (Progress.ANSWERED, None, None)
    assert expected_first_response(fresh(ticket)) is None


def test_position_is_one_count_query(make_ticket, frozen, django_assert_num_queries):
    frozen(at(2026, 11, 23, 9, 0))
    for index in range(5):
        make_ticket(email=f"c{index}@example.hu")
    ticket = fresh(make_ticket())
    ticket.queue.calendar.calendar  # noqa: B018 - the calendar is loaded once per page, elsewhere

    with django_assert_num_queries(1):
        assert estimates.estimate(ticket).position == 6


# --- the queue's pace ---------------------------------------------------------------------


def test_the_worker_measures_first_answers_per_business_hour_over_ten_business_days(
    make_ticket, queue, frozen
):
    # Wednesday 25 November after closing: the window is 12-25 November, ten days of 9 hours.
    frozen(at(2026, 11, 11, 12, 0))
    answered(make_ticket, at(2026, 11, 11, 12, 0), 3)  # before the window: not counted
    answered(make_ticket, at(2026, 11, 12, 9, 0), 15)
    answered(make_ticket, at(2026, 11, 24, 14, 0), 21)
    frozen(at(2026, 11, 25, 17, 30))

    assert tasks.measure_queue_pace() == "1 queue(s)"

    queue.refresh_from_db()
    assert queue.pace_sample == 36
    assert queue.pace_per_hour == pytest.approx(36 / 90)
    assert queue.pace_measured_at == at(2026, 11, 25, 17, 30)
    assert estimates.pace_of(queue, at(2026, 11, 25, 17, 30)) == Pace(per_hour=36 / 90, is_measured=True)


def test_measuring_costs_one_aggregate_query_per_queue(make_ticket, queue, polish_queue, frozen):
    frozen(at(2026, 11, 25, 12, 0))
    answered(make_ticket, at(2026, 11, 24, 10, 0), 3)

    with CaptureQueriesContext(connection) as queries:
        estimates.measure_queue_paces()

    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    assert len(counts) == 2
    assert sorted(Queue.objects.values_list("pace_sample", flat=True)) == [0, 3]


def test_with_short_history_the_default_pace_is_used_and_the_range_is_wider(queue, settings):
    settings.QUEUE_DEFAULT_PACE_PER_HOUR = 6
    now = at(2026, 11, 23, 9, 0)

    short = measured(queue, per_hour=2.0, sample=estimates.PACE_MIN_SAMPLE - 1, when=now)
    stale = measured(queue, per_hour=2.0, sample=200, when=now - timedelta(days=3))
    trusted = measured(queue, per_hour=2.0, sample=200, when=now)

    assert estimates.pace_of(short, now) == Pace(per_hour=6.0, is_measured=False)
    assert estimates.pace_of(stale, now) == Pace(per_hour=6.0, is_measured=False)
    assert estimates.pace_of(trusted, now) == Pace(per_hour=2.0, is_measured=True)
    calendar = queue.calendar.calendar
    narrow = estimates.wait_range(position=6, pace=Pace(6.0, True), calendar=calendar, now=now)
    wide = estimates.wait_range(position=6, pace=Pace(6.0, False), calendar=calendar, now=now)
    assert (narrow.earliest, narrow.latest) == (at(2026, 11, 23, 10, 0), at(2026, 11, 23, 10, 15))
    assert (wide.earliest, wide.latest) == (at(2026, 11, 23, 9, 30), at(2026, 11, 23, 11, 0))


def test_measuring_is_scheduled_every_ten_minutes(db):
    schedule = Schedule.objects.get(name="measure queue pace")
    assert (schedule.func, schedule.minutes) == ("helpdesk.tasks.measure_queue_pace", 10)


# --- the estimate and the calendar ---------------------------------------------------------


def test_the_estimate_runs_past_closing_time_into_the_next_morning(make_ticket, frozen):
    frozen(at(2026, 11, 23, 16, 50))  # Monday, ten minutes before closing
    ticket = fresh(make_ticket())

    expectation = expected_first_response(ticket)

    # Default pace 4 an hour: 15 minutes of work, between 7.5 and 30 business minutes.
    assert (expectation.earliest, expectation.at) == (at(2026, 11, 23, 17, 0), at(2026, 11, 24, 8, 30))
    with translation.override("en"):
        assert expectation.phrase == "tomorrow by 08:30"


def test_a_friday_evening_request_waits_for_monday(make_ticket, frozen):
    frozen(at(2026, 11, 20, 15, 0))
    make_ticket(email="a@example.hu")
    make_ticket(email="b@example.hu")
    frozen(at(2026, 11, 27, 16, 55))  # Friday
    ticket = fresh(make_ticket())  # behind two others left from last week

    expectation = expected_first_response(ticket)

    assert (expectation.earliest, expectation.at) == (at(2026, 11, 30, 8, 30), at(2026, 11, 30, 9, 30))
    with translation.override("en"):
        assert expectation.phrase == "by Monday 30 November, 09:30"


def test_a_public_holiday_is_skipped(make_ticket, frozen):
    frozen(at(2026, 10, 22, 16, 59))  # Thursday; Friday 23 October is a national holiday
    ticket = fresh(make_ticket())

    expectation = expected_first_response(ticket)

    assert (expectation.earliest, expectation.at) == (at(2026, 10, 26, 8, 15), at(2026, 10, 26, 8, 30))


def test_never_earlier_than_the_next_opening_however_fast_the_pace(make_ticket, queue, frozen):
    frozen(at(2026, 11, 28, 10, 0))  # Saturday: the queue is closed all weekend
    measured(queue, per_hour=120.0, sample=500, when=at(2026, 11, 28, 9, 55))
    ticket = fresh(make_ticket())

    estimate = estimates.estimate(ticket)

    assert estimate.position == 1
    assert not estimate.is_rough
    assert estimate.wait.earliest >= at(2026, 11, 30, 8, 0)
    assert estimate.wait.latest == at(2026, 11, 30, 8, 15)


def test_a_slow_pace_is_said_honestly_even_beyond_the_sla_target(make_ticket, frozen):
    frozen(at(2026, 11, 23, 9, 0))
    for index in range(40):
        make_ticket(email=f"c{index}@example.hu")
    ticket = fresh(make_ticket())

    expectation = expected_first_response(ticket)

    assert expectation.at > ticket.first_response_due_at


# --- rounding and wording ------------------------------------------------------------------


def test_times_round_up_to_the_quarter_hour_but_never_into_closed_time():
    closes_early = Calendar(tz=BUDAPEST, weekly={day: [(time(8), time(16, 50))] for day in range(5)})

    assert estimates.round_up_within_hours(closes_early, at(2026, 11, 23, 10, 1)) == at(2026, 11, 23, 10, 15)
    assert estimates.round_up_within_hours(closes_early, at(2026, 11, 23, 10, 15)) == at(2026, 11, 23, 10, 15)
    assert estimates.round_up_within_hours(closes_early, at(2026, 11, 23, 16, 40)) == at(2026, 11, 23, 16, 45)
    # 16:47 would round to 17:00, after closing: the honest time is the next opening.
    assert estimates.round_up_within_hours(closes_early, at(2026, 11, 23, 16, 47)) == at(2026, 11, 24, 8, 0)


@pytest.mark.parametrize(
    ("earliest", "latest", "phrase"),
    [
        (at(2026, 11, 23, 10, 0), at(2026, 11, 23, 11, 30), "today between 10:00 and 11:30"),
        (at(2026, 11, 23, 10, 15), at(2026, 11, 23, 10, 15), "today by 10:15"),
        (at(2026, 11, 24, 8, 0), at(2026, 11, 24, 9, 0), "tomorrow between 08:00 and 09:00"),
        (at(2026, 11, 23, 16, 45), at(2026, 11, 24, 9, 0), "tomorrow by 09:00"),
        (at(2026, 11, 24, 16, 0), at(2026, 11, 25, 10, 30), "by Wednesday 25 November, 10:30"),
    ],
)
def test_the_estimate_is_worded_as_a_range_near_and_a_deadline_far(earliest, latest, phrase):
    expectation = Expectation(at=latest, earliest=earliest, today=at(2026, 11, 23, 9, 0).date())
    with translation.override("en"):
        assert expectation.phrase == phrase


# --- the acknowledgement -------------------------------------------------------------------


@pytest.mark.parametrize(("language", "weekday"), [("hu", "hétfő"), ("pl", "poniedziałek")])
def test_the_acknowledgement_gives_position_and_estimate_in_the_customers_language(
    make_ticket, frozen, language, weekday
):
    frozen(at(2026, 11, 27, 16, 55))  # Friday evening: the answer comes on Monday
    make_ticket(email="first@example.hu")
    ticket = make_ticket(acknowledge=True, language=language, email=f"{language}@example.com")

    body = Notification.objects.get(ticket=ticket).body_text

    expectation = expected_first_response(fresh(ticket))
    with translation.override(language):
        place = gettext("Your place in line: %(position)s") % {"position": 2}
        when = gettext("By our estimate, you can expect a reply %(when)s.") % {"when": expectation.phrase}
    assert place in body
    assert when in body
    assert weekday in body.lower()
    assert "09:00" in body
