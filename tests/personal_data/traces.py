"""Where a person's details still are: every text, JSON and binary column of every table,
found by asking the database itself (information_schema on PostgreSQL, the table list and
PRAGMA table_info on SQLite), so a table or column added later is searched too."""

import json

from django.db import connection

PG_TEXT_TYPES = ("character varying", "character", "text", "json", "jsonb")


def _columns() -> list[tuple[str, str, bool]]:
    """(table, column, is_binary) for every column that can hold a text."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND (data_type = ANY(%s) OR data_type = 'bytea')",
                [list(PG_TEXT_TYPES)],
            )
            return [(table, column, kind == "bytea") for table, column, kind in cursor.fetchall()]
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = [name for (name,) in cursor.fetchall()]
        columns = []
        for table in tables:
            cursor.execute(f'PRAGMA table_info("{table}")')
            # SQLite keeps any value in any column: every column is searched, as text.
            columns += [(table, row[1], False) for row in cursor.fetchall()]
        return columns


def _written_forms(text: str) -> set[str]:
    """The text as stored: plain, and as JSON writes it (ó as \\u00f3)."""
    return {text, json.dumps(text)[1:-1]}


def traces_of(*texts: str) -> list[tuple[str, str, str]]:
    """(table, column, text) for every column holding one of the texts, in any case."""
    found = []
    forms = {form for text in texts for form in _written_forms(text)}
    with connection.cursor() as cursor:
        for table, column, binary in _columns():
            for form in forms:
                if binary:
                    condition = f"position(convert_to(%s, 'UTF8') in \"{column}\") > 0"
                    parameter = form
                else:
                    condition = f'LOWER(CAST("{column}" AS TEXT)) LIKE %s'
                    parameter = f"%{form.lower()}%"
                cursor.execute(f'SELECT COUNT(*) FROM "{table}" WHERE {condition}', [parameter])  # noqa: S608
                if cursor.fetchone()[0]:
                    found.append((table, column, form))
    return found
