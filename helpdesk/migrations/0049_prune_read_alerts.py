from django.db import migrations

from helpdesk.schedules import every_n_minutes


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0048_missing_thumbnails"),
    ]

    operations = [
        every_n_minutes("prune read agent notifications", "helpdesk.tasks.prune_read_alerts", 24 * 60),
    ]
