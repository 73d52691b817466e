"""Test databases are copies of one migrated template.

Migrating an empty database takes about twelve seconds of CPU on this project (Django renders
the models' state for each of its seventy-odd migrations), and every pytest-xdist worker used to
do it for a database of its own. Here the first worker to arrive migrates a template, named after
a digest of the migration files so that a changed migration makes a new one, and every worker
copies it (`CREATE DATABASE … TEMPLATE …`, about a second; on SQLite the template is a file that
each worker loads into its in-memory database). A later run on the same machine finds the template
ready. The template is the same migrations, run the same way: the tests see the database they saw
before.
"""

from __future__ import annotations

import fcntl
import hashlib
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

PROJECT = Path(__file__).resolve().parents[1]


def migrations_digest() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted(PROJECT.glob("*/migrations/*.py")):
        digest.update(path.relative_to(PROJECT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextmanager
def server_lock(name: str) -> Iterator[None]:
    """One process at a time among the workers of this machine (the template is made once)."""
    with open(f"/tmp/{name}.lock", "w") as handle:  # noqa: S108 (a lock file, not data)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def set_up_postgresql(alias: str = "default") -> str:
    """Create this worker's test database as a copy of the template; return its name."""
    connection = connections[alias]
    creation = connection.creation
    worker_name = creation._get_test_db_name()
    template = f"{worker_name.removesuffix(_xdist_suffix(worker_name))}_template_{migrations_digest()}"
    quote = connection.ops.quote_name
    with server_lock(template):
        with creation._nodb_cursor() as cursor:
            ready = _exists(cursor, template)
        if not ready:
            # Made under another name and renamed once complete: a run stopped halfway leaves no
            # template that looks ready.
            partial = f"{template}_partial"
            connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": partial}
            creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            connection.close()
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {quote(partial)} RENAME TO {quote(template)}")
        with creation._nodb_cursor() as cursor:
            if _exists(cursor, worker_name):
                cursor.execute(f"DROP DATABASE {quote(worker_name)}")
            cursor.execute(f"CREATE DATABASE {quote(worker_name)} TEMPLATE {quote(template)}")
    connection.close()
    settings.DATABASES[alias]["NAME"] = worker_name
    connection.settings_dict["NAME"] = worker_name
    connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": worker_name}
    return worker_name


def others_gone(alias: str = "default", *, seconds: float = 10) -> None:
    """Before the test database is dropped: the processes the tests started (servers, workers)
    have closed their connections, but PostgreSQL ends each backend a moment after its client
    went, and DROP DATABASE refuses while one is still there ("being accessed by other users").
    Waits for them; one still there after `seconds` is named, and the drop then says why."""
    connection = connections[alias]
    connection.close()  # this process's own, first
    name = connection.settings_dict["NAME"]
    deadline = time.monotonic() + seconds
    with connection._nodb_cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT pid, application_name, state, left(query, 200) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            others = cursor.fetchall()
            if not others or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    for other in others:
        print(f"still connected to {name}: {other}", file=sys.stderr)


def _xdist_suffix(name: str) -> str:
    head, _, tail = name.rpartition("_")
    return f"_{tail}" if head and tail.startswith("gw") and tail[2:].isdigit() else ""


def set_up_sqlite(alias: str = "default") -> None:
    """Load this worker's in-memory test database from a migrated template file."""
    connection = connections[alias]
    creation = connection.creation
    test_name = creation._get_test_db_name()
    template = Path(f"/tmp/helpdesk_test_template_{migrations_digest()}.sqlite3")  # noqa: S108
    with server_lock(template.stem):
        if not template.exists():
            partial = template.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            test_settings = connection.settings_dict["TEST"]
            connection.settings_dict["TEST"] = {**test_settings, "NAME": str(partial)}
            creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            connection.close()
            connection.settings_dict["TEST"] = test_settings
            with closing(sqlite3.connect(partial)) as checkpoint:  # the write-ahead log into the file
                checkpoint.execute("PRAGMA journal_mode=DELETE")
            partial.rename(template)
    settings.DATABASES[alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection_created.connect(_readers_take_no_table_locks)
    connection.ensure_connection()
    with closing(sqlite3.connect(template)) as source:
        source.backup(connection.connection)


def _readers_take_no_table_locks(sender, connection, **kwargs) -> None:
    """The in-memory test database is one cache shared by every connection of the process (the
    live server's threads and the streams of the browser journeys among them). In a shared cache
    a connection reading a table holds a lock on it, and another connection writing that table
    meanwhile fails at once with "database table is locked", where a database file would have
    waited: a reader of the test database takes no such lock (SQLite's read_uncommitted; only
    shared-cache connections know it)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")
