"""Trigram indexes for the agents' search (`ILIKE '%…%'` on subjects, messages and customers).

PostgreSQL only: the pg_trgm extension ships with PostgreSQL and is a trusted extension (any
database owner may create it). Where it cannot be created the search still works, reading rows
instead of indexes, and the migration says so rather than failing.
"""

from django.db import DatabaseError, migrations, transaction

INDEXES = [
    ("ticket_subject_trgm", "helpdesk_ticket", "upper(subject::text)"),
    ("entry_body_trgm", "helpdesk_ticketentry", "upper(body)"),
    ("customer_name_trgm", "helpdesk_customer", "upper(name::text)"),
    ("customer_email_trgm", "helpdesk_customer", "upper(email::text)"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        print(f"\n  pg_trgm not available ({error}); the search works without its indexes.")
        return
    for name, table, expression in INDEXES:
        # The expressions are the ones Django's icontains lookup writes, so the planner can use them.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0011_sla_check_schedule")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
