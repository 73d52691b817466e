from django.db import migrations
from django.utils import timezone

from helpdesk.roles import sync_roles_migration



def schedule_delivery(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        name="deliver due notifications",
        defaults={
            "func": "helpdesk.tasks.deliver_due_notifications",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )


def unschedule_delivery(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="deliver due notifications").delete()


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0003_tickets")]

    operations = [
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
        migrations.RunPython(schedule_delivery, unschedule_delivery),
    ]
