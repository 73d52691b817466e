"""A theme raised to management is a recurring complaint (it was a ThemeEscalation); its rows stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0003_hashed_survey_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="ThemeEscalation", new_name="RecurringComplaint"),
        migrations.RenameModel(old_name="EscalationEvent", new_name="RecurringComplaintEvent"),
        migrations.RenameModel(old_name="EscalationRule", new_name="RecurringComplaintRule"),
        migrations.RenameField(
            model_name="recurringcomplaintevent", old_name="escalation", new_name="recurring_complaint"
        ),
        migrations.AlterField(
            model_name="recurringcomplaint",
            name="theme",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="recurring_complaint", to="feedback.theme"
            ),
        ),
        migrations.AlterField(
            model_name="recurringcomplaint",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="owned_recurring_complaints",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.RenameIndex(
            model_name="recurringcomplaint", new_name="recurring_complaint_status", old_name="theme_escalation_status"
        ),
    ]
