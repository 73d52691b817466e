from django.db import migrations
from django.utils import timezone

from helpdesk.roles import sync_roles_migration



def schedule_heartbeat(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="worker heartbeat",
        defaults={
            "func": "helpdesk.tasks.record_worker_heartbeat",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
            "next_run": timezone.now(),
        },
    )


def remove_heartbeat(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="worker heartbeat").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
        migrations.RunPython(schedule_heartbeat, remove_heartbeat),
    ]
