from django.db import migrations

from helpdesk.roles import sync_roles_migration


class Migration(migrations.Migration):
    """Managers no longer hold auth.* permissions (user administration in the admin is for
    superusers); the groups are given exactly their lists again."""

    dependencies = [
        ("helpdesk", "0023_calendar_details_version"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
    ]
