"""Every five minutes the worker merges themes that became the same problem (or proposes it)."""

from django.db import migrations

from helpdesk.schedules import every_n_minutes


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0007_theme_changes"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [
        every_n_minutes("consolidate themes", "feedback.tasks.consolidate_themes", 5),
    ]
