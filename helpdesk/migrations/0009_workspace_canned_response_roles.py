from django.db import migrations

from helpdesk.roles import sync_roles_migration


class Migration(migrations.Migration):
    """Managers maintain the canned responses (their permissions join the Managers group)."""

    dependencies = [
        ("helpdesk", "0008_queue_order_and_workspace"),
    ]

    operations = [
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
    ]
