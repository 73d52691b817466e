"""The agents' search is backed by trigram indexes, and PostgreSQL plans for fast storage."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes and planner settings are PostgreSQL's"
)


@needs_postgresql
def test_the_migration_creates_the_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        indexes = dict(cursor.fetchall())

    assert set(indexes) >= {
        "ticket_subject_trgm",
        "entry_body_trgm",
        "customer_name_trgm",
        "customer_email_trgm",
    }
    assert all("gin_trgm_ops" in definition for definition in indexes.values())


@needs_postgresql
def test_the_planner_finds_messages_through_the_trigram_index():
    # The expression Django writes for body__icontains must be the indexed one.
    from helpdesk.models import TicketEntry

    with connection.cursor() as cursor:
        # Only index conditions may find rows: any index that cannot match the text is useless.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = TicketEntry.objects.filter(body__icontains="számla").order_by().explain()

    assert "entry_body_trgm" in plan


@needs_postgresql
def test_connections_plan_for_fast_storage():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
