from django.db import migrations, models

from helpdesk.schedules import every_n_minutes


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0047_bulk_change_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="thumbnail_unreadable",
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name="attachment",
            index=models.Index(
                condition=models.Q(
                    ("content_type__in", ["image/gif", "image/jpeg", "image/png", "image/webp"]),
                    ("thumbnail", ""),
                    ("thumbnail_unreadable", False),
                ),
                fields=["id"],
                name="attachment_thumbnail_missing",
            ),
        ),
        every_n_minutes("make missing thumbnails", "helpdesk.tasks.make_missing_thumbnails", 5),
    ]
