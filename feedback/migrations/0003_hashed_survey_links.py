"""Survey links are stored as the SHA-256 hashes of their tokens, one row per message sent.

Existing links keep working: each survey's token becomes its first SurveyLink (hashed). Going
back draws new tokens (a hash cannot be turned back into its token).
"""

import hashlib
import secrets

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

BATCH = 2000


def hash_existing_tokens(apps, schema_editor):
    Survey = apps.get_model("feedback", "Survey")
    SurveyLink = apps.get_model("feedback", "SurveyLink")
    links = []
    for pk, token, created_at in Survey.objects.values_list("pk", "token", "created_at").iterator(BATCH):
        token_hash = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
        links.append(SurveyLink(survey_id=pk, token_hash=token_hash, created_at=created_at))
        if len(links) >= BATCH:
            SurveyLink.objects.bulk_create(links)
            links = []
    SurveyLink.objects.bulk_create(links)


def draw_new_tokens(apps, schema_editor):
    Survey = apps.get_model("feedback", "Survey")
    for pk in Survey.objects.values_list("pk", flat=True).iterator(BATCH):
        Survey.objects.filter(pk=pk).update(token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_surveys_lessons")]

    operations = [
        migrations.CreateModel(
            name="SurveyLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="links", to="feedback.survey"
                    ),
                ),
            ],
        ),
        # Nullable on the way out, so that going back can add the column before filling it.
        migrations.AlterField(
            model_name="survey",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(hash_existing_tokens, draw_new_tokens, elidable=False),
        migrations.RemoveField(model_name="survey", name="token"),
    ]
