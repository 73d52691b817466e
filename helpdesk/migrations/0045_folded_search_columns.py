"""Subjects and customers' names and addresses folded into stored columns, with trigram indexes.

The agents' search folded, in its query, the subject of every candidate request and the name and
address of every customer (`Fold`, through the expression indexes of 0043); PostgreSQL counted
that folding as cheap and folded every customer in a sequential scan when no filter narrowed the
requests. The database now keeps the folded text in generated columns, filled on every insert
and update (bulk ones and a merge's included; this migration fills the existing rows), the search
compares them with the text folded once in Python, and trigram indexes on the columns replace the
ones on the folded expressions. `Fold`'s table is read from helpdesk.text_folding when this runs:
a change to it needs a migration re-creating the columns (and the message index of 0043).
"""

import django.db.models.functions.text
from django.db import migrations, models

import helpdesk.text_folding

INDEXES = {
    "customer_search_text_trgm": ("helpdesk_customer", "search_text"),
    "ticket_folded_subject_trgm": ("helpdesk_ticket", "folded_subject"),
}
# 0043's indexes on the folded expressions that the columns replace.
REPLACED = {
    "customer_name_folded_trgm": ("helpdesk_customer", "name"),
    "customer_email_folded_trgm": ("helpdesk_customer", "email"),
    "ticket_subject_folded_trgm": ("helpdesk_ticket", "subject"),
}


def has_trigrams(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def create_indexes(apps, schema_editor):
    # Where 0012 could not create pg_trgm, the search works without its indexes, as before.
    if schema_editor.connection.vendor != "postgresql" or not has_trigrams(schema_editor):
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")
    for name in REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not has_trigrams(schema_editor):
        return
    from helpdesk.text_folding import FROM, TO

    for name, (table, column) in REPLACED.items():
        folded = f"LOWER(TRANSLATE(NORMALIZE({column}, NFD), '{FROM}', '{TO}'))"
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({folded}) gin_trgm_ops)")
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0044_bulk_change_adds_tags")]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=helpdesk.text_folding.Fold(
                    django.db.models.functions.text.Concat(
                        "name", models.Value("\n"), "email", output_field=models.TextField()
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="folded_subject",
            field=models.GeneratedField(
                db_persist=True,
                expression=helpdesk.text_folding.Fold("subject"),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
