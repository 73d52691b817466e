"""SLA due times on real queues and calendars: set at intake, paused and resumed by transitions."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from helpdesk.models import BusinessCalendar, Category, Closure, OpeningHours, Priority, Queue, Ticket
from helpdesk.public_holidays import national_year

BUDAPEST = ZoneInfo("Europe/Budapest")
WARSAW = ZoneInfo("Europe/Warsaw")


def budapest(*parts) -> datetime:
    return datetime(*parts, tzinfo=BUDAPEST)


def warsaw(*parts) -> datetime:
    return datetime(*parts, tzinfo=WARSAW)


@pytest.fixture
def ticket_at(make_ticket):
    """A ticket created through intake at a frozen moment."""

    def make(moment: datetime, **overrides) -> Ticket:
        with time_machine.travel(moment, tick=False):
            return make_ticket(**overrides)

    return make


@pytest.fixture
def polish_category(polish_queue):
    return Category.objects.create(
        slug="billing-pl", name_en="Bills", name_hu="Számlák", name_pl="Rachunki", queue=polish_queue
    )


def polish_ticket_at(ticket_at, polish_category, moment, **overrides):
    return ticket_at(moment, category=polish_category, language="pl", **overrides)


# --- at creation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "first_response", "resolution"),
    [
        (Priority.URGENT, budapest(2026, 3, 16, 10), budapest(2026, 3, 16, 17)),
        (Priority.HIGH, budapest(2026, 3, 16, 13), budapest(2026, 3, 17, 16)),
        (Priority.NORMAL, budapest(2026, 3, 16, 17), budapest(2026, 3, 20, 13)),
        (Priority.LOW, budapest(2026, 3, 17, 16), budapest(2026, 3, 26, 17)),
    ],
)
def test_due_times_at_creation_for_each_priority(ticket_at, priority, first_response, resolution):
    ticket = ticket_at(budapest(2026, 3, 16, 9), priority=priority)

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == first_response
    assert ticket.resolution_due_at == resolution


def test_friday_afternoon_request_is_due_on_monday(ticket_at):
    ticket = ticket_at(budapest(2026, 3, 13, 15))

    assert ticket.first_response_due_at == budapest(2026, 3, 16, 14)


def test_request_at_the_weekend_is_counted_from_monday_morning(ticket_at):
    ticket = ticket_at(budapest(2026, 3, 14, 20), priority=Priority.URGENT)

    assert ticket.first_response_due_at == budapest(2026, 3, 16, 9)


def test_hungarian_state_foundation_day_and_bridge_day_off(ticket_at):
    # Wednesday 14:00: three hours left that day; Thursday 20 August is the holiday and Friday
    # 21 August the bridge day off, so the rest falls on Monday.
    ticket = ticket_at(budapest(2026, 8, 19, 14))

    assert ticket.first_response_due_at == budapest(2026, 8, 24, 13)
    assert ticket_at(budapest(2026, 8, 19, 14), priority=Priority.HIGH).first_response_due_at == budapest(
        2026, 8, 24, 9
    )


def test_hungarian_bridge_working_saturday_is_open(ticket_at):
    # Friday 12:00: five hours left; Saturday 8 August 2026 is worked instead of 21 August.
    ticket = ticket_at(budapest(2026, 8, 7, 12))

    assert ticket.first_response_due_at == budapest(2026, 8, 8, 11)


def test_bridge_working_saturday_keeps_the_hours_of_the_friday_it_replaces(ticket_at, budapest_calendar):
    budapest_calendar.opening_hours.filter(weekday=4).update(closes=time(14))

    ticket = ticket_at(budapest(2026, 8, 7, 12), priority=Priority.HIGH)

    # Two hours on Friday (until 14:00), two on the Saturday that opens at 08:00.
    assert ticket.first_response_due_at == budapest(2026, 8, 8, 10)


def test_polish_independence_day(ticket_at, polish_category):
    ticket = polish_ticket_at(ticket_at, polish_category, warsaw(2026, 11, 10, 15))

    assert ticket.queue.slug == "billing-pl"
    assert ticket.first_response_due_at == warsaw(2026, 11, 12, 13)


def test_polish_may_holidays_around_an_open_saturday(ticket_at, polish_category):
    # Thursday 16:00: two hours; 1 May closed; Saturday 2 May 09-13; 3 May (a Sunday) closed.
    ticket = polish_ticket_at(ticket_at, polish_category, warsaw(2026, 4, 30, 16))

    assert ticket.first_response_due_at == warsaw(2026, 5, 4, 10)


def test_christmas_in_budapest_and_warsaw(ticket_at, polish_category):
    hungarian = ticket_at(budapest(2026, 12, 23, 13))
    polish = polish_ticket_at(ticket_at, polish_category, warsaw(2026, 12, 23, 14))

    # 24, 25 and 26 December are public holidays in both countries in 2026.
    assert hungarian.first_response_due_at == budapest(2026, 12, 28, 12)
    assert polish.first_response_due_at == warsaw(2026, 12, 28, 12)


def test_due_times_into_the_next_year(ticket_at):
    ticket = ticket_at(budapest(2026, 12, 31, 15), priority=Priority.LOW)

    # 2 hours on 31 December, closed on 1 January 2027, then 78 hours of weekdays.
    assert ticket.resolution_due_at == budapest(2027, 1, 14, 14)


def test_calendar_built_now_knows_last_years_bridge_saturday(budapest_calendar):
    with time_machine.travel(budapest(2027, 2, 1, 9), tick=False):
        calendar = budapest_calendar.calendar

    # Saturday 13 December 2025 was worked instead of Wednesday 24 December 2025.
    assert calendar.add(budapest(2025, 12, 12, 16), 2 * timedelta(hours=1)) == budapest(2025, 12, 13, 9)
    assert not calendar.is_open(budapest(2025, 12, 24, 10))


def test_spring_clock_change_in_budapest(ticket_at):
    ticket = ticket_at(budapest(2026, 3, 27, 13))

    assert ticket.first_response_due_at == budapest(2026, 3, 30, 12)
    assert ticket.first_response_due_at.astimezone(UTC) == datetime(2026, 3, 30, 10, tzinfo=UTC)


def test_autumn_clock_change_in_warsaw(ticket_at, polish_category):
    ticket = polish_ticket_at(ticket_at, polish_category, warsaw(2026, 10, 23, 14), priority=Priority.LOW)

    # Four hours on Friday, four on Saturday morning, eight on Monday in winter time.
    assert ticket.first_response_due_at == warsaw(2026, 10, 26, 16)
    assert ticket.first_response_due_at.astimezone(UTC) == datetime(2026, 10, 26, 15, tzinfo=UTC)


def test_clock_change_on_a_desk_open_every_day(ticket_at, budapest_calendar):
    budapest_calendar.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=budapest_calendar, weekday=day, opens=time(0), closes=time(0))
        for day in range(7)
    )

    # The night of 25 October has 25 hours: 8 business hours from 23:00 end at 06:00, not 07:00.
    ticket = ticket_at(budapest(2026, 10, 24, 23))

    assert ticket.first_response_due_at == budapest(2026, 10, 25, 6)


def test_a_custom_closure(ticket_at, budapest_calendar):
    Closure.objects.create(
        calendar=budapest_calendar,
        starts_at=budapest(2026, 6, 10, 12),
        ends_at=budapest(2026, 6, 11, 12),
        reason="Team training",
    )

    ticket = ticket_at(budapest(2026, 6, 10, 11))

    # One hour before the training, five after it on Thursday, two on Friday.
    assert ticket.first_response_due_at == budapest(2026, 6, 12, 10)


def test_a_queue_without_a_target_for_the_priority_has_no_due_time(ticket_at, queue):
    queue.sla_targets.filter(priority=Priority.LOW).delete()

    ticket = ticket_at(budapest(2026, 3, 16, 9), priority=Priority.LOW)

    assert ticket.first_response_due_at is None
    assert ticket.resolution_due_at is None


# --- pauses ----------------------------------------------------------------------------------


def test_waiting_on_the_customer_keeps_the_business_time_left(ticket_at, agent):
    ticket = ticket_at(budapest(2026, 3, 16, 9))  # due: answer Mon 17:00, resolve Fri 20 13:00
    with time_machine.travel(budapest(2026, 3, 16, 15), tick=False):
        ticket.wait_on_customer(by=agent)

    with time_machine.travel(budapest(2026, 3, 19, 10), tick=False):
        ticket.receive_customer_message(body="Here is the invoice number.", channel="email")

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.waiting_since is None
    assert ticket.first_response_due_at == budapest(2026, 3, 19, 12)  # 2 hours were left
    assert ticket.resolution_due_at == budapest(2026, 3, 24, 17)  # 34 hours were left


def test_a_target_missed_before_the_pause_stays_missed(ticket_at, agent):
    ticket = ticket_at(budapest(2026, 3, 16, 9), priority=Priority.URGENT)  # answer by 10:00
    with time_machine.travel(budapest(2026, 3, 16, 11), tick=False):
        ticket.wait_on_customer(by=agent)

    with time_machine.travel(budapest(2026, 3, 18, 10), tick=False):
        ticket.resume(by=agent)

    ticket.refresh_from_db()
    assert ticket.first_response_due_at == budapest(2026, 3, 16, 10)
    assert ticket.resolution_due_at == budapest(2026, 3, 18, 16)  # 6 of 8 hours were left


def test_a_first_response_already_given_is_not_moved(ticket_at, agent):
    ticket = ticket_at(budapest(2026, 3, 16, 9))
    ticket.mark_first_response(budapest(2026, 3, 16, 10))
    ticket.wait_on_customer(by=agent, at=budapest(2026, 3, 16, 15))

    ticket.resume(by=agent, at=budapest(2026, 3, 19, 10))

    assert ticket.first_response_due_at == budapest(2026, 3, 16, 17)


def test_a_pause_over_the_hungarian_bridge_days(ticket_at, agent):
    ticket = ticket_at(budapest(2026, 8, 17, 9))  # resolution: 40 hours, Friday 21st is a day off
    assert ticket.resolution_due_at == budapest(2026, 8, 25, 13)

    ticket.wait_on_customer(by=agent, at=budapest(2026, 8, 19, 17))  # 14 hours left, office closed
    ticket.resume(by=agent, at=budapest(2026, 8, 24, 8))

    assert ticket.resolution_due_at == budapest(2026, 8, 25, 13)


def test_a_resolved_request_reopened_continues_with_the_time_left(ticket_at, agent):
    ticket = ticket_at(budapest(2026, 3, 16, 9))
    ticket.mark_first_response(budapest(2026, 3, 16, 10))
    with time_machine.travel(budapest(2026, 3, 17, 8), tick=False):
        ticket.resolve(by=agent)

    with time_machine.travel(budapest(2026, 3, 23, 8), tick=False):
        ticket.receive_customer_message(body="It happened again.", channel="email")

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.resolution_due_at == budapest(2026, 3, 26, 13)  # 32 hours were left
    assert ticket.first_response_due_at == budapest(2026, 3, 16, 17)


def test_resolved_while_waiting_then_reopened_counts_from_the_start_of_the_wait(ticket_at, agent):
    ticket = ticket_at(budapest(2026, 3, 16, 9))
    ticket.mark_first_response(budapest(2026, 3, 16, 10))
    ticket.wait_on_customer(by=agent, at=budapest(2026, 3, 16, 15))  # 34 hours left
    ticket.resolve(by=agent, at=budapest(2026, 3, 18, 12))

    ticket.reopen(by=agent, at=budapest(2026, 3, 20, 8))

    assert ticket.resolution_due_at == budapest(2026, 3, 25, 15)


def test_a_request_resolved_late_stays_late_when_reopened(ticket_at, agent):
    ticket = ticket_at(budapest(2026, 3, 16, 9), priority=Priority.URGENT)  # resolve by 17:00
    ticket.resolve(by=agent, at=budapest(2026, 3, 17, 9))

    ticket.reopen(by=agent, at=budapest(2026, 3, 18, 9))

    assert ticket.resolution_due_at == budapest(2026, 3, 16, 17)


# --- cost ----------------------------------------------------------------------------------


def test_a_calendar_takes_two_queries_then_none_and_holidays_once_per_process(
    budapest_calendar, django_assert_num_queries
):
    first = BusinessCalendar.objects.get(pk=budapest_calendar.pk)
    with django_assert_num_queries(2):  # its opening hours and closures, kept in the cache after
        first.calendar.add(budapest(2026, 3, 16, 9), timedelta(hours=1))
    misses = national_year.cache_info().misses
    fresh = BusinessCalendar.objects.get(pk=budapest_calendar.pk)

    with django_assert_num_queries(0):
        calendar = fresh.calendar
        calendar.add(budapest(2026, 3, 16, 9), timedelta(hours=100))

    assert national_year.cache_info().misses == misses


def test_a_prefetched_calendar_needs_no_query(budapest_calendar, django_assert_num_queries):
    fresh = BusinessCalendar.objects.prefetch_related("opening_hours", "closures").get(
        pk=budapest_calendar.pk
    )

    with django_assert_num_queries(0):
        assert fresh.calendar.is_open(budapest(2026, 3, 16, 9))


def test_setting_due_times_at_intake_costs_a_fixed_number_of_queries(queue, django_assert_num_queries):
    ticket = Ticket(
        queue=Queue.objects.get(pk=queue.pk), priority=Priority.NORMAL, created_at=budapest(2026, 3, 16, 9)
    )

    # SLA targets, the calendar, its opening hours and its closures.
    with django_assert_num_queries(4):
        ticket.apply_sla()

    assert ticket.first_response_due_at == budapest(2026, 3, 16, 17)
