"""The agents' search is backed by trigram indexes on folded text; PostgreSQL plans for fast storage."""

import pytest
from django.db import connection
from django.db.models.lookups import Contains

from helpdesk.text_folding import Fold

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes and planner settings are PostgreSQL's"
)


@needs_postgresql
def test_the_migrations_create_the_trigram_indexes_on_folded_text():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        indexes = dict(cursor.fetchall())

    searched = {
        "ticket_folded_subject_trgm",
        "entry_body_folded_trgm",
        "customer_search_text_trgm",
        "customer_phone_trgm",
    }
    assert set(indexes) >= searched
    assert all("gin_trgm_ops" in indexes[name] for name in searched)
    # The upper-case ones of Django's icontains served the search before, then the ones on the
    # customer's folded name and address and the ticket's folded subject; the stored folded
    # columns replaced them.
    replaced = {
        "ticket_subject_trgm",
        "entry_body_trgm",
        "customer_name_trgm",
        "customer_name_folded_trgm",
        "customer_email_folded_trgm",
        "ticket_subject_folded_trgm",
    }
    assert not replaced & set(indexes)
    assert "lower(translate(normalize(body, nfd)" in indexes["entry_body_folded_trgm"].lower()


def planned(queryset) -> str:
    with connection.cursor() as cursor:
        # Only index conditions may find rows: any index that cannot match the text is useless.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        return queryset.order_by().explain()


@needs_postgresql
def test_the_planner_finds_subjects_and_messages_through_the_folded_indexes():
    # The expressions the search writes (helpdesk.forms.queue.matching) must be the indexed ones:
    # a change to Fold's table without a migration rebuilding the indexes fails here.
    from helpdesk.models import Ticket, TicketEntry

    assert "entry_body_folded_trgm" in planned(TicketEntry.objects.filter(Contains(Fold("body"), "szamla")))
    assert "ticket_folded_subject_trgm" in planned(Ticket.objects.filter(folded_subject__contains="szamla"))


@needs_postgresql
def test_the_customer_search_reads_the_folded_indexes():
    from helpdesk.models import Customer

    plan = planned(Customer.objects.search("Ádám 30 123"))

    assert "customer_search_text_trgm" in plan
    assert "customer_phone_trgm" in plan
    # The customers' text is folded once, when written: the query folds none of it.
    assert "normalize" not in plan.lower()


@needs_postgresql
def test_connections_plan_for_fast_storage():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
