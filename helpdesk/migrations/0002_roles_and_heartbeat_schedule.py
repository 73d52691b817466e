from django.db import migrations

from helpdesk.roles import sync_roles_migration
from helpdesk.schedules import every_minute


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
        every_minute("worker heartbeat", "helpdesk.tasks.record_worker_heartbeat"),
    ]
