from datetime import timedelta

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def business_duration(value: timedelta | None) -> str:
    """An SLA target in words: "8 business hours", "1 business hour 30 minutes"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(
            ngettext("%(count)d business hour", "%(count)d business hours", hours) % {"count": hours}
        )
    if minutes or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    return " ".join(parts)
