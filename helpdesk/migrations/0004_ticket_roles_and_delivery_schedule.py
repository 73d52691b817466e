from django.db import migrations

from helpdesk.roles import sync_roles_migration
from helpdesk.schedules import every_minute


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0003_tickets")]

    operations = [
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
        every_minute("deliver due notifications", "helpdesk.tasks.deliver_due_notifications"),
    ]
