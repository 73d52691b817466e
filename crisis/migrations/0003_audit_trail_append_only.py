"""The audit trail refuses UPDATE and DELETE in the database itself (PostgreSQL), and the worker
scans for undecided compensation every five minutes."""

from django.db import migrations

from helpdesk.schedules import every_n_minutes

CREATE = """
CREATE FUNCTION crisis_audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the compensation audit trail is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER crisis_audit_entry_append_only
    BEFORE UPDATE OR DELETE ON crisis_auditentry
    FOR EACH ROW EXECUTE FUNCTION crisis_audit_entry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS crisis_audit_entry_append_only ON crisis_auditentry;
DROP FUNCTION IF EXISTS crisis_audit_entry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("crisis", "0002_briefing_compensation"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
        every_n_minutes(
            "escalate overdue compensation", "crisis.tasks.escalate_overdue_compensation", 5
        ),
    ]
