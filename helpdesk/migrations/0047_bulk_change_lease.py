from django.db import migrations, models

from helpdesk.schedules import every_minute


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0046_tag_renamed_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulkchange",
            name="changed_ids",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="bulkchange",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        every_minute("resume stalled bulk changes", "helpdesk.tasks.resume_bulk_changes"),
    ]
