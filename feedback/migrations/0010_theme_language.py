from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def first_complaints_language(apps, schema_editor):
    """Themes grouped before: the language of their first complaint's ticket, as new ones get."""
    Theme = apps.get_model("feedback", "Theme")
    ThemeMembership = apps.get_model("feedback", "ThemeMembership")
    first = ThemeMembership.objects.filter(theme=OuterRef("pk")).order_by("complained_at", "pk")
    # A theme without a member (none in practice) stays of no known language.
    Theme.objects.filter(language="").update(
        language=Coalesce(Subquery(first.values("ticket__language")[:1]), Value(""))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0009_theme_embedding"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="language",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=8, verbose_name="language"
            ),
        ),
        migrations.RunPython(first_complaints_language, migrations.RunPython.noop),
    ]
