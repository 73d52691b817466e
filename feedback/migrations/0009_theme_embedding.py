from django.db import migrations, models

SEQUENCE = "feedback_theme_revision_seq"
FORWARD = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE};
CREATE OR REPLACE FUNCTION feedback_theme_bump_revision() RETURNS trigger AS $$
BEGIN
    NEW.revision := nextval('{SEQUENCE}');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER feedback_theme_revision BEFORE INSERT OR UPDATE ON feedback_theme
    FOR EACH ROW EXECUTE FUNCTION feedback_theme_bump_revision();
"""
BACKWARD = f"""
DROP TRIGGER IF EXISTS feedback_theme_revision ON feedback_theme;
DROP FUNCTION IF EXISTS feedback_theme_bump_revision();
DROP SEQUENCE IF EXISTS {SEQUENCE};
"""


def add_trigger(apps, schema_editor):
    # PostgreSQL only: on SQLite the worker re-reads every theme's embedding each time instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0008_consolidate_themes"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="embedding",
            field=models.BinaryField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="theme",
            name="revision",
            field=models.BigIntegerField(db_index=True, default=0, editable=False),
        ),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
