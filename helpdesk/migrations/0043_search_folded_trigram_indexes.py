"""Trigram indexes on folded text: the agents' search without accents stays indexed.

The search compares subjects, messages and customers' names and addresses folded (lower case
without accents, `helpdesk.text_folding.Fold`), so its indexes are on the folded expression,
written here as `Fold` writes it on PostgreSQL. The table of letters is frozen in this migration:
when `Fold`'s table changes, a new migration rebuilds the indexes, and
tests/helpdesk/test_search_indexes.py fails until then (the planner stops using them). The
upper-case trigram indexes of 0012, which Django's `icontains` used, are no longer used by the
search and are dropped; phone numbers get one for the search by digits.
"""

from django.db import migrations

# The letters Unicode does not decompose, then the accents of the Latin letters (dropped).
FROM = "łŁđĐøØħĦı" + "\u0300\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u030a\u030b\u030c\u030f\u0311\u031b\u0326\u0327\u0328"
TO = "llddoohhi"


def folded(column: str) -> str:
    return f"(LOWER(TRANSLATE(NORMALIZE({column}, NFD), '{FROM}', '{TO}')))"


INDEXES = [
    ("ticket_subject_folded_trgm", "helpdesk_ticket", folded("subject")),
    ("entry_body_folded_trgm", "helpdesk_ticketentry", folded("body")),
    ("customer_name_folded_trgm", "helpdesk_customer", folded("name")),
    ("customer_email_folded_trgm", "helpdesk_customer", folded("email")),
    ("customer_phone_trgm", "helpdesk_customer", "phone"),
]
REPLACED = [
    ("ticket_subject_trgm", "helpdesk_ticket", "upper(subject::text)"),
    ("entry_body_trgm", "helpdesk_ticketentry", "upper(body)"),
    ("customer_name_trgm", "helpdesk_customer", "upper(name::text)"),
    ("customer_email_trgm", "helpdesk_customer", "upper(email::text)"),
]


def has_trigrams(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def create_indexes(apps, schema_editor):
    # Where 0012 could not create pg_trgm, the search works without its indexes, as before.
    if schema_editor.connection.vendor != "postgresql" or not has_trigrams(schema_editor):
        return
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )
    for name, _table, _expression in REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not has_trigrams(schema_editor):
        return
    for name, table, expression in REPLACED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0042_canned_response_macros")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
