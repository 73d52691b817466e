"""Recurring worker tasks, created by migrations so every deployment has them."""

from datetime import timedelta

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


def daily(name: str, func: str) -> migrations.RunPython:
    """A migration step that schedules `func` (a dotted path) once a day, first at the next
    03:00 of the site's time zone (a quiet hour), reversibly."""

    def schedule(apps, schema_editor):
        now = timezone.localtime()
        first = now.replace(hour=3, minute=0, second=0, microsecond=0)
        apps.get_model("django_q", "Schedule").objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": "D",  # django_q's Schedule.DAILY
                "repeats": -1,
                "next_run": first if first > now else first + timedelta(days=1),
            },
        )

    def unschedule(apps, schema_editor):
        apps.get_model("django_q", "Schedule").objects.filter(name=name).delete()

    return migrations.RunPython(schedule, unschedule)


def renamed(old: tuple[str, str], new: tuple[str, str]) -> migrations.RunPython:
    """A migration step for a scheduled task whose (name, dotted path) changed, reversibly: the
    worker would fail on a path that no longer exists."""

    def forwards(apps, schema_editor):
        _rename(apps, old, new)

    def backwards(apps, schema_editor):
        _rename(apps, new, old)

    return migrations.RunPython(forwards, backwards)


def _rename(apps, before: tuple[str, str], after: tuple[str, str]) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(func=before[1]).update(name=after[0], func=after[1])
