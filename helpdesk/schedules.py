"""Recurring worker tasks, created by migrations so every deployment has them."""

from django.db import migrations
from django.utils import timezone


def every_minute(name: str, func: str) -> migrations.RunPython:
    """A migration step that schedules `func` (a dotted path) to run every minute, reversibly."""
    return every_n_minutes(name, func, 1)


def every_n_minutes(name: str, func: str, minutes: int) -> migrations.RunPython:
    """A migration step that schedules `func` (a dotted path) every `minutes`, reversibly."""

    def schedule(apps, schema_editor):
        apps.get_model("django_q", "Schedule").objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "I",  # django_q's Schedule.MINUTES
                "minutes": minutes,
                "repeats": -1,
                "next_run": timezone.now(),
            },
        )

    def unschedule(apps, schema_editor):
        apps.get_model("django_q", "Schedule").objects.filter(name=name).delete()

    return migrations.RunPython(schedule, unschedule)
