"""A lesson knows the language it is written in; lessons already written are taken as English."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_recurring_complaints"),
    ]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("hu", "Hungarian"), ("pl", "Polish")],
                default="en",
                max_length=2,
                verbose_name="written in",
            ),
        ),
    ]
