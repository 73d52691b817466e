from datetime import timedelta

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration_words(value: timedelta | None) -> str:
    """A measured duration rounded to the minute: "1 hour 25 minutes", "12 minutes"."""
    if value is None:
        return ""
    hours, minutes = divmod(round(value.total_seconds() / 60), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return " ".join(parts)
