"""Business time on plain values: weekends, holidays, bridge days, closures and clock changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.business_time import Calendar
from helpdesk.public_holidays import NationalDays, holiday_names, national_year

BUDAPEST = ZoneInfo("Europe/Budapest")
WARSAW = ZoneInfo("Europe/Warsaw")
WEEKDAYS_8_TO_17 = {day: [(time(8), time(17))] for day in range(5)}


def budapest(*parts) -> datetime:
    return datetime(*parts, tzinfo=BUDAPEST)


def warsaw(*parts) -> datetime:
    return datetime(*parts, tzinfo=WARSAW)


def hungarian(weekly=None, closures=()) -> Calendar:
    national = NationalDays("HU")
    return Calendar(
        tz=BUDAPEST,
        weekly=weekly or WEEKDAYS_8_TO_17,
        is_holiday=national.is_holiday,
        extra_working_days=national,
        replaced_day=national.replaced_day,
        closures=tuple(closures),
    )


def polish() -> Calendar:
    national = NationalDays("PL")
    weekly = {**{day: [(time(8), time(18))] for day in range(5)}, 5: [(time(9), time(13))]}
    return Calendar(tz=WARSAW, weekly=weekly, is_holiday=national.is_holiday, extra_working_days=national)


def always_open(tz) -> Calendar:
    return Calendar(tz=tz, weekly={day: [(time(0), time(0))] for day in range(7)})


HOURS = timedelta(hours=1)


# --- the holiday data ------------------------------------------------------------------------


def test_hungarian_2026_holidays_and_the_august_bridge():
    year = national_year("HU", 2026)

    assert date(2026, 8, 20) in year.holidays  # State Foundation Day, a Thursday
    assert date(2026, 8, 21) in year.holidays  # the bridge day off
    assert year.working_days == {date(2026, 1, 10): date(2026, 1, 2), date(2026, 8, 8): date(2026, 8, 21)}


def test_polish_holidays_have_no_bridge_days():
    year = national_year("PL", 2026)

    assert {date(2026, 11, 11), date(2026, 5, 3), date(2026, 12, 24), date(2026, 1, 6)} <= year.holidays
    assert year.working_days == {}


def test_holiday_years_are_built_once_per_process():
    national_year.cache_clear()
    NationalDays("HU").is_holiday(date(2031, 1, 1))
    NationalDays("HU").is_holiday(date(2031, 6, 1))

    assert national_year.cache_info().misses == 1
    assert national_year.cache_info().hits == 1


@pytest.mark.parametrize(
    ("country", "language", "day", "name"),
    [
        ("HU", "hu", date(2026, 8, 20), "Az államalapítás ünnepe"),
        ("HU", "en", date(2026, 8, 20), "State Foundation Day"),
        ("PL", "pl", date(2026, 11, 11), "Narodowe Święto Niepodległości"),
        ("PL", "en", date(2026, 11, 11), "National Independence Day"),
    ],
)
def test_holiday_names_in_the_countrys_language_and_english_come_from_the_package(
    country, language, day, name
):
    with translation.override(language):
        assert holiday_names(country, day.year, language)[day] == name


@pytest.mark.parametrize(
    ("country", "language", "day", "context", "english"),
    [
        ("HU", "pl", date(2026, 8, 20), "Hungarian public holiday", "State Foundation Day"),
        ("PL", "hu", date(2026, 11, 11), "Polish public holiday", "National Independence Day"),
        ("PL", "hu", date(2026, 5, 1), "Polish public holiday", "National Day"),
    ],
)
def test_holiday_names_in_the_other_countrys_language_come_from_our_catalogue(
    country, language, day, context, english
):
    # The package speaks only a country's own language and English; "National Day" means
    # 15 March in Hungary and 1 May in Poland, hence a context per country.
    with translation.override(language):
        assert holiday_names(country, day.year, language)[day] == pgettext(context, english)


def test_bridge_day_off_is_named_with_the_day_worked_instead():
    with translation.override("en"):
        assert holiday_names("HU", 2026, "en")[date(2026, 8, 21)] == "Bridge day off (worked on 08/08/2026)"


# --- weekends, holidays, bridge days ---------------------------------------------------------


def test_friday_afternoon_runs_on_into_monday():
    calendar = hungarian()

    assert calendar.add(budapest(2026, 3, 13, 15), 4 * HOURS) == budapest(2026, 3, 16, 10)


def test_request_arriving_at_the_weekend_starts_counting_on_monday_morning():
    calendar = hungarian()

    assert calendar.add(budapest(2026, 3, 14, 11), HOURS) == budapest(2026, 3, 16, 9)
    assert calendar.next_opening(budapest(2026, 3, 14, 11)) == budapest(2026, 3, 16, 8)


def test_hungarian_state_foundation_day_and_its_bridge_day_off_are_skipped():
    calendar = hungarian()

    # One hour on Wednesday; Thursday 20th (holiday) and Friday 21st (bridge day off) are closed.
    assert calendar.add(budapest(2026, 8, 19, 16), 8 * HOURS) == budapest(2026, 8, 24, 15)


def test_bridge_working_saturday_is_open_with_the_hours_of_the_day_it_replaces():
    calendar = hungarian(weekly={**WEEKDAYS_8_TO_17, 4: [(time(8), time(14))]})

    assert calendar.hours_on(date(2026, 8, 8)) == [(time(8), time(14))]  # worked as Friday 21st
    assert calendar.add(budapest(2026, 8, 7, 13), 2 * HOURS) == budapest(2026, 8, 8, 9)
    assert calendar.hours_on(date(2026, 8, 15)) == []  # an ordinary Saturday


def test_bridge_working_saturday_keeps_weekday_hours_even_when_saturdays_are_short():
    calendar = hungarian(weekly={**WEEKDAYS_8_TO_17, 5: [(time(9), time(12))]})

    assert calendar.hours_on(date(2026, 8, 8)) == [(time(8), time(17))]
    assert calendar.hours_on(date(2026, 8, 1)) == [(time(9), time(12))]


def test_hungarian_christmas_and_new_year_into_the_next_year():
    calendar = hungarian()

    # Wednesday 23 December 16:00: Dec 24-27 closed, 28-31 open, 1 January closed.
    assert calendar.add(budapest(2026, 12, 23, 16), 2 * HOURS) == budapest(2026, 12, 28, 9)
    assert calendar.add(budapest(2026, 12, 31, 16), 2 * HOURS) == budapest(2027, 1, 4, 9)


def test_the_previous_years_bridge_saturday_counts_too():
    calendar = hungarian()

    assert calendar.is_open(budapest(2025, 12, 13, 10))  # worked for Wednesday 24 December 2025
    assert not calendar.is_open(budapest(2025, 12, 24, 10))


def test_polish_independence_day():
    calendar = polish()

    assert calendar.add(warsaw(2026, 11, 10, 17), 2 * HOURS) == warsaw(2026, 11, 12, 9)


def test_polish_may_holidays_around_an_open_saturday():
    calendar = polish()

    # Thursday 17:30: half an hour; Friday 1 May closed; Saturday 2 May 09-13; Sunday 3 May closed.
    assert calendar.add(warsaw(2026, 4, 30, 17, 30), 5 * HOURS) == warsaw(2026, 5, 4, 8, 30)


def test_polish_christmas_eve_is_a_holiday():
    calendar = polish()

    assert calendar.add(warsaw(2026, 12, 23, 17), 2 * HOURS) == warsaw(2026, 12, 28, 9)


# --- daylight saving -------------------------------------------------------------------------


@pytest.mark.parametrize("tz", [BUDAPEST, WARSAW])
def test_office_hours_are_local_across_the_spring_change(tz):
    calendar = Calendar(tz=tz, weekly=WEEKDAYS_8_TO_17)
    friday = datetime(2026, 3, 27, 16, tzinfo=tz)

    due = calendar.add(friday, 2 * HOURS)

    assert due == datetime(2026, 3, 30, 9, tzinfo=tz)
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 7, tzinfo=UTC)  # summer time: UTC+2
    assert calendar.between(friday, due) == 2 * HOURS


@pytest.mark.parametrize("tz", [BUDAPEST, WARSAW])
def test_office_hours_are_local_across_the_autumn_change(tz):
    calendar = Calendar(tz=tz, weekly=WEEKDAYS_8_TO_17)

    due = calendar.add(datetime(2026, 10, 23, 16, tzinfo=tz), 2 * HOURS)

    assert due.astimezone(UTC) == datetime(2026, 10, 26, 8, tzinfo=UTC)  # winter time: UTC+1


@pytest.mark.parametrize("tz", [BUDAPEST, WARSAW])
def test_a_desk_open_around_the_clock_has_a_23_hour_spring_sunday_and_a_25_hour_autumn_one(tz):
    calendar = always_open(tz)

    assert calendar.between(datetime(2026, 3, 29, tzinfo=tz), datetime(2026, 3, 30, tzinfo=tz)) == 23 * HOURS
    assert (
        calendar.between(datetime(2026, 10, 25, tzinfo=tz), datetime(2026, 10, 26, tzinfo=tz)) == 25 * HOURS
    )
    assert calendar.add(datetime(2026, 3, 28, 12, tzinfo=tz), 24 * HOURS) == datetime(
        2026, 3, 29, 13, tzinfo=tz
    )


# --- closures, opening state, edges ------------------------------------------------------------


def test_a_closure_cuts_its_hours_out():
    training = (budapest(2026, 6, 10, 12), budapest(2026, 6, 11, 12))
    calendar = hungarian(closures=[training])

    assert calendar.local_intervals_on(date(2026, 6, 10)) == [
        (budapest(2026, 6, 10, 8), budapest(2026, 6, 10, 12))
    ]
    assert calendar.add(budapest(2026, 6, 10, 11), 2 * HOURS) == budapest(2026, 6, 11, 13)
    assert calendar.between(budapest(2026, 6, 10, 8), budapest(2026, 6, 11, 17)) == 9 * HOURS


def test_opening_state_when_open_and_when_closed():
    calendar = hungarian()

    open_state = calendar.state_at(budapest(2026, 3, 13, 10))
    closed_state = calendar.state_at(budapest(2026, 3, 13, 17))

    assert open_state.is_open
    assert open_state.closes_at == budapest(2026, 3, 13, 17)
    assert not closed_state.is_open  # closing time itself is closed
    assert closed_state.next_opening == budapest(2026, 3, 16, 8)


def test_overlapping_hours_count_once():
    calendar = Calendar(
        tz=BUDAPEST, weekly={0: [(time(8), time(12)), (time(10), time(14)), (time(14), time(16))]}
    )

    assert calendar.intervals_on(date(2026, 3, 16)) == [
        (budapest(2026, 3, 16, 8).astimezone(UTC), budapest(2026, 3, 16, 16).astimezone(UTC))
    ]


def test_lunch_break_is_not_business_time():
    calendar = Calendar(tz=BUDAPEST, weekly={0: [(time(8), time(12)), (time(13), time(17))]})

    assert calendar.add(budapest(2026, 3, 16, 11), 2 * HOURS) == budapest(2026, 3, 16, 14)


def test_zero_duration_is_the_next_opening_and_negative_is_refused():
    calendar = hungarian()

    assert calendar.add(budapest(2026, 3, 14, 10), timedelta(0)) == budapest(2026, 3, 16, 8)
    with pytest.raises(ValueError, match="backwards"):
        calendar.add(budapest(2026, 3, 14, 10), -HOURS)


def test_a_calendar_with_no_hours_has_no_due_time():
    with pytest.raises(ValueError, match="no open time"):
        Calendar(tz=BUDAPEST, weekly={}).add(budapest(2026, 3, 16, 10), HOURS)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        hungarian().between(datetime(2026, 3, 16, 10), datetime(2026, 3, 16, 12))  # noqa: DTZ001


def test_between_is_negative_backwards_and_spans_more_than_a_year():
    calendar = hungarian()
    start, end = budapest(2026, 1, 5, 8), budapest(2027, 6, 1, 8)

    assert calendar.between(end, start) == -calendar.between(start, end)
    assert calendar.between(start, end) > 300 * 9 * HOURS


# --- pauses ----------------------------------------------------------------------------------


def test_resume_keeps_the_business_time_left_at_the_pause():
    calendar = hungarian()
    due = budapest(2026, 3, 17, 12)  # Tuesday noon

    # Paused Monday 15:00 with 6 business hours left; resumed Thursday 10:00.
    assert calendar.resume_due(due, budapest(2026, 3, 16, 15), budapest(2026, 3, 19, 10)) == budapest(
        2026, 3, 19, 16
    )


def test_a_target_missed_before_the_pause_stays_missed():
    calendar = hungarian()
    due = budapest(2026, 3, 16, 9)

    assert calendar.resume_due(due, budapest(2026, 3, 16, 15), budapest(2026, 3, 19, 10)) == due


def test_a_pause_over_a_holiday_and_a_weekend_while_closed():
    calendar = hungarian()
    due = budapest(2026, 8, 24, 10)  # Monday 10:00: two business hours left from Friday night

    assert calendar.resume_due(due, budapest(2026, 8, 19, 18), budapest(2026, 8, 24, 8)) == due


# --- properties ------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.sampled_from([BUDAPEST, WARSAW, UTC]),
)
durations = st.integers(min_value=0, max_value=120 * 60).map(lambda minutes: timedelta(minutes=minutes))
CALENDARS = {"budapest": hungarian(), "warsaw": polish()}
calendars = st.sampled_from(sorted(CALENDARS)).map(CALENDARS.get)


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, start=moments, duration=durations)
def test_between_undoes_add(calendar, start, duration):
    assert calendar.between(start, calendar.add(start, duration)) == duration


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, start=moments, first=durations, second=durations)
def test_add_is_monotonic(calendar, start, first, second):
    shorter, longer = sorted([first, second])
    assert calendar.add(start, shorter) <= calendar.add(start, longer)


@settings(max_examples=150, deadline=None)
@given(calendar=calendars, start=moments, duration=durations)
def test_a_due_time_is_always_inside_opening_hours(calendar, start, duration):
    due = calendar.add(start, duration)

    if duration:
        # Due at the latest at closing time: the moment just before it is open time.
        assert calendar.is_open(due - timedelta(microseconds=1))
        assert due.astimezone(calendar.tz).date().weekday() < 5 or calendar.hours_on(
            due.astimezone(calendar.tz).date()
        )
    else:
        assert calendar.is_open(due)


@settings(max_examples=100, deadline=None)
@given(
    calendar=calendars,
    created=moments,
    target=durations.filter(bool),
    paused_after=durations,
    pause=durations,
)
def test_resume_keeps_the_time_left(calendar, created, target, paused_after, pause):
    due = calendar.add(created, target)
    paused_at = created + paused_after
    resumed_at = paused_at + pause

    resumed_due = calendar.resume_due(due, paused_at, resumed_at)

    if due <= paused_at:
        assert resumed_due == due
    else:
        assert calendar.between(resumed_at, resumed_due) == calendar.between(paused_at, due)
        assert resumed_due >= due
