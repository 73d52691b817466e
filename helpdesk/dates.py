"""Days and times written out in the reader's language, in the order that language puts them.

Django's own formats (DATE_FORMAT, SHORT_DATE_FORMAT…) cover numeric dates; a weekday with the
day and month has no built-in format, and one pattern ("l j F") reads wrongly in Hungarian
("szerda 11 november" instead of "november 11., szerda") and Polish (the month needs its
genitive: "11 listopada"). Each pattern here is translated, so every language writes its own.
"""

from datetime import date, datetime

from django.utils import formats
from django.utils.translation import pgettext


def long_day(day: date | datetime) -> str:
    """Wednesday 11 November · november 11., szerda · środa, 11 listopada"""
    return formats.date_format(day, pgettext("long day", "l j F"))


def long_day_time(moment: datetime) -> str:
    """Wednesday 11 November 09:00"""
    return formats.date_format(moment, pgettext("long day and time", "l j F H:i"))


def long_day_with_year(day: date | datetime) -> str:
    """Wednesday 11 November 2026"""
    return formats.date_format(day, pgettext("long day with year", "l j F Y"))


def short_day(day: date | datetime) -> str:
    """Wed 11 Nov"""
    return formats.date_format(day, pgettext("short day", "D j M"))


def short_day_time(moment: datetime) -> str:
    """Wed 11 Nov 09:00"""
    return formats.date_format(moment, pgettext("short day and time", "D j M H:i"))
