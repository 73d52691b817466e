"""A calendar's opening hours and closures are kept in the cache, and every change shows at once."""

from datetime import UTC, datetime, time

import pytest

from helpdesk.models import BusinessCalendar, Closure, OpeningHours


def fresh(calendar: BusinessCalendar) -> BusinessCalendar:
    """The calendar as a page loads it: a new row from the database."""
    return BusinessCalendar.objects.get(pk=calendar.pk)


def details(calendar: BusinessCalendar):
    business = fresh(calendar).calendar
    return business.weekly, business.closures


def test_hours_and_closures_are_read_once_then_come_from_the_cache(
    budapest_calendar, django_assert_num_queries
):
    details(budapest_calendar)
    calendar = fresh(budapest_calendar)
    with django_assert_num_queries(0):
        assert calendar.calendar.weekly[0] == [(time(8), time(17))]


def add_saturday(calendar):
    OpeningHours.objects.create(calendar=calendar, weekday=5, opens=time(9), closes=time(12))


def close_monday_early(calendar):
    monday = calendar.opening_hours.get(weekday=0)
    monday.closes = time(12)
    monday.save()


def drop_monday(calendar):
    calendar.opening_hours.get(weekday=0).delete()


def drop_the_week(calendar):
    OpeningHours.objects.filter(calendar=calendar).delete()


def open_early_in_bulk(calendar):
    OpeningHours.objects.filter(calendar=calendar).update(opens=time(7))


def open_around_the_clock_in_bulk(calendar):
    calendar.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=day, opens=time(0), closes=time(0)) for day in range(7)
    )


def close_for_training(calendar):
    Closure.objects.create(
        calendar=calendar,
        starts_at=datetime(2026, 6, 10, 10, tzinfo=UTC),
        ends_at=datetime(2026, 6, 11, 10, tzinfo=UTC),
        reason="Team training",
    )


def cancel_the_training(calendar):
    close_for_training(calendar)
    details(calendar)  # the cache now holds the closure
    Closure.objects.get(calendar=calendar).delete()


@pytest.mark.parametrize(
    "change",
    [
        add_saturday,
        close_monday_early,
        drop_monday,
        drop_the_week,
        open_early_in_bulk,
        open_around_the_clock_in_bulk,
        close_for_training,
    ],
)
def test_every_change_to_hours_or_closures_shows_at_once(budapest_calendar, change):
    before = details(budapest_calendar)
    change(budapest_calendar)
    after = details(budapest_calendar)
    assert after != before
    # and it is exactly what the database holds
    calendar = fresh(budapest_calendar)
    assert after == calendar._read_details()


def test_a_closure_deleted_after_it_was_cached_is_gone(budapest_calendar):
    cancel_the_training(budapest_calendar)
    assert details(budapest_calendar)[1] == ()
