"""`{% load reader_dates %}`: `{{ day|long_day }}`, `{{ moment|short_day_time }}`… (see helpdesk.dates)."""

from django import template
from django.utils import timezone

from helpdesk import dates

register = template.Library()


def _local(value):
    # The date filter shows aware times in the current time zone; these do the same.
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


@register.filter
def long_day(value):
    return dates.long_day(_local(value)) if value else ""


@register.filter
def long_day_time(value):
    return dates.long_day_time(_local(value)) if value else ""


@register.filter
def short_day(value):
    return dates.short_day(_local(value)) if value else ""


@register.filter
def short_day_time(value):
    return dates.short_day_time(_local(value)) if value else ""
