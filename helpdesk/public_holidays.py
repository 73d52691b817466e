"""National public holidays and Hungarian bridge days, from the `holidays` package.

Building a country's holidays for a year takes milliseconds, so each (country, year) is built
once per process and kept; a calendar asks lazily for whichever year a date falls in, so due
times that cross into the next year (or start in the previous one) see the right days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays
from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext_lazy

# The package names a bridge day off "Day off (substituted from MM/DD/YYYY)" in English.
_SUBSTITUTED = re.compile(r"\(substituted from (\d{2})/(\d{2})/(\d{4})\)")


@dataclass(frozen=True)
class NationalYear:
    holidays: frozenset[date]
    # A weekend day that is worked -> the day off it pays for (Hungarian bridge days).
    working_days: dict[date, date | None]


@lru_cache(maxsize=128)
def _populated(country: str, year: int) -> tuple[dict[date, str], frozenset[date]]:
    national = holidays.country_holidays(country, years=year, language="en_US")
    return dict(national.items()), frozenset(national.weekend_workdays)


@lru_cache(maxsize=128)
def national_year(country: str, year: int) -> NationalYear:
    days, _workdays = _populated(country, year)
    working_days: dict[date, date | None] = {}
    # A swap decided for one year can name a working day in the year before or after.
    for source_year in (year - 1, year, year + 1):
        source_days, source_workdays = _populated(country, source_year)
        for day_off, name in source_days.items():
            if match := _SUBSTITUTED.search(name):
                month, day, worked_year = (int(part) for part in match.groups())
                worked = date(worked_year, month, day)
                if worked.year == year and worked.weekday() >= 5:
                    working_days[worked] = day_off
        for worked in source_workdays:
            if worked.year == year:
                working_days.setdefault(worked, None)
    return NationalYear(holidays=frozenset(days), working_days=working_days)


class NationalDays:
    """The public holidays and bridge working days of one country, for any year."""

    def __init__(self, country: str):
        self.country = country

    def is_holiday(self, day: date) -> bool:
        return day in national_year(self.country, day.year).holidays

    def __contains__(self, day: object) -> bool:
        """A weekend day that is a working day."""
        return isinstance(day, date) and day in national_year(self.country, day.year).working_days

    def replaced_day(self, day: date) -> date | None:
        return national_year(self.country, day.year).working_days.get(day)

    def working_days_between(self, start: date, end: date) -> list[tuple[date, date | None]]:
        return sorted(
            (worked, day_off)
            for year in range(start.year, end.year + 1)
            for worked, day_off in national_year(self.country, year).working_days.items()
            if start <= worked <= end
        )

    def holidays_between(self, start: date, end: date, language: str | None = None) -> list[tuple[date, str]]:
        """Public holidays with their names in `language` (default: the active language)."""
        language = language or get_language() or "en"
        return sorted(
            (day, name)
            for year in range(start.year, end.year + 1)
            for day, name in holiday_names(self.country, year, language).items()
            if start <= day <= end
        )


def holiday_names(country: str, year: int, language: str) -> dict[date, str]:
    """Holiday names in one of our languages.

    The package translates a country's holidays into that country's own language and English
    only, so a Hungarian calendar on a Polish page (and the reverse) uses our own translations
    of the English names. Bridge days off get our own label, with the date in the page's format.
    """
    english, _workdays = _populated(country, year)
    native = _native_names(country, year, language)
    names = {}
    for day, english_name in english.items():
        if match := _SUBSTITUTED.search(english_name):
            month, worked_day, worked_year = (int(part) for part in match.groups())
            worked = formats.date_format(date(worked_year, month, worked_day), "SHORT_DATE_FORMAT")
            names[day] = gettext("Bridge day off (worked on %(date)s)") % {"date": worked}
        elif native is not None:
            names[day] = native.get(day, english_name)
        else:
            names[day] = str(HOLIDAY_NAMES.get(country, {}).get(english_name, english_name))
    return names


@lru_cache(maxsize=64)
def _native_names(country: str, year: int, language: str) -> dict[date, str] | None:
    """The package's own names, when it speaks `language` for this country."""
    code = "en_US" if language == "en" else language
    if code not in holidays.country_holidays(country, years=()).supported_languages:
        return None
    return dict(holidays.country_holidays(country, years=year, language=code).items())


HOLIDAY_NAMES = {
    "HU": {
        "New Year's Day": pgettext_lazy("Hungarian public holiday", "New Year's Day"),
        "National Day": pgettext_lazy("Hungarian public holiday", "National Day"),
        "Good Friday": pgettext_lazy("Hungarian public holiday", "Good Friday"),
        "Easter": pgettext_lazy("Hungarian public holiday", "Easter"),
        "Easter Monday": pgettext_lazy("Hungarian public holiday", "Easter Monday"),
        "Labor Day": pgettext_lazy("Hungarian public holiday", "Labor Day"),
        "Pentecost": pgettext_lazy("Hungarian public holiday", "Pentecost"),
        "Pentecost Monday": pgettext_lazy("Hungarian public holiday", "Pentecost Monday"),
        "State Foundation Day": pgettext_lazy("Hungarian public holiday", "State Foundation Day"),
        "All Saints' Day": pgettext_lazy("Hungarian public holiday", "All Saints' Day"),
        "Christmas Eve": pgettext_lazy("Hungarian public holiday", "Christmas Eve"),
        "Christmas Day": pgettext_lazy("Hungarian public holiday", "Christmas Day"),
        "Second Day of Christmas": pgettext_lazy("Hungarian public holiday", "Second Day of Christmas"),
    },
    "PL": {
        "New Year's Day": pgettext_lazy("Polish public holiday", "New Year's Day"),
        "Epiphany": pgettext_lazy("Polish public holiday", "Epiphany"),
        "Easter Sunday": pgettext_lazy("Polish public holiday", "Easter Sunday"),
        "Easter Monday": pgettext_lazy("Polish public holiday", "Easter Monday"),
        "National Day": pgettext_lazy("Polish public holiday", "National Day"),
        "National Day of the Third of May": pgettext_lazy(
            "Polish public holiday", "National Day of the Third of May"
        ),
        "Pentecost": pgettext_lazy("Polish public holiday", "Pentecost"),
        "Corpus Christi": pgettext_lazy("Polish public holiday", "Corpus Christi"),
        "Assumption Day": pgettext_lazy("Polish public holiday", "Assumption Day"),
        "All Saints' Day": pgettext_lazy("Polish public holiday", "All Saints' Day"),
        "National Independence Day": pgettext_lazy("Polish public holiday", "National Independence Day"),
        "Christmas Eve": pgettext_lazy("Polish public holiday", "Christmas Eve"),
        "Christmas Day": pgettext_lazy("Polish public holiday", "Christmas Day"),
        "Second Day of Christmas": pgettext_lazy("Polish public holiday", "Second Day of Christmas"),
    },
}
