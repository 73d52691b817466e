"""The audit trail is append-only: not through the ORM, not in SQL, not in the admin, not in any view."""

import csv
import io
import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

from crisis.compensation import services
from crisis.models import AuditEntry, AuditTrailIsAppendOnly
from tests.crisis.compensation.conftest import credit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(affected, incident, agent, manager):
    proposal = services.propose(ticket=affected, incident=incident, offer=credit(20000), by=agent)
    proposal.approve(by=manager, note="Fair.")
    return list(AuditEntry.objects.order_by("pk"))


def test_an_entry_cannot_be_saved_again_or_deleted(trail):
    entry = trail[0]
    entry.note = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.delete()


def test_the_queryset_refuses_bulk_update_and_delete(trail):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=trail[0].pk).update(note="rewritten")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE crisis_auditentry SET note = 'rewritten'", "DELETE FROM crisis_auditentry"],
)
def test_the_database_refuses_update_and_delete(trail, statement):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEntry.objects.filter(note="rewritten").count() == 0
    assert AuditEntry.objects.count() == len(trail)


def snapshot():
    return list(AuditEntry.objects.order_by("pk").values())


def test_the_admin_shows_the_trail_read_only(client, trail):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    before = snapshot()
    entry = trail[-1]

    assert client.get("/admin/crisis/auditentry/").status_code == 200
    page = client.get(f"/admin/crisis/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="note"' not in page.text  # shown, not editable
    assert client.post(f"/admin/crisis/auditentry/{entry.pk}/change/", {"note": "x"}).status_code == 403
    assert client.post(f"/admin/crisis/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        "/admin/crisis/auditentry/",
        {"action": "delete_selected", "_selected_action": [e.pk for e in trail], "post": "yes"},
    )
    assert client.get("/admin/crisis/auditentry/add/").status_code == 403
    assert snapshot() == before


def all_routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from all_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def path_of(route: str, pk: int, reference: str) -> str:
    path = re.sub(r"<int:\w+>", str(pk), route)
    path = re.sub(r"<(str:)?\w+>", reference, path)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.long
def test_no_view_edits_or_deletes_an_entry(client, trail, affected):
    """Every route of the site, posted to by a superuser with the entries' ids and an edit."""
    client.raise_request_exception = False
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    before = snapshot()
    tampering = {
        "note": "rewritten",
        "action": "approved",
        "decision": "approve",
        "before": "{}",
        "after": "{}",
        "subject": "rewritten",
        "proposals": [entry.pk for entry in trail],
    }
    # Signing out would leave the rest of the routes to an anonymous visitor.
    routes = [route for route in all_routes() if "logout" not in route]
    assert any("compensation/audit" in route for route in routes)
    # Each entry's id in every route that takes an id; a route without one is the same request
    # for every entry, so it is made once.
    paths = dict.fromkeys(path_of(route, entry.pk, affected.reference) for entry in trail for route in routes)
    for path in paths:
        client.force_login(root)
        client.post(path, tampering)
        client.get(path, tampering)
    after = snapshot()
    assert after[: len(before)] == before  # new rows may follow; the old ones are as they were


def test_the_trail_is_shown_on_the_ticket(client, agent, trail, affected):
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{affected.reference}/").text

    assert 'data-testid="ticket-audit"' in page
    assert "Fair." in page


def test_managers_export_the_trail_as_streamed_csv(client, manager, trail, affected, incident):
    client.force_login(manager)

    response = client.get(f"/crisis/compensation/audit.csv?incident={incident.pk}")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["when", "who", "what", "incident", "ticket", "about", "before", "after", "note"]
    assert [row[2] for row in rows[1:]] == ["proposed", "approved"]
    assert rows[2][1] == "marek"
    assert rows[2][4] == affected.reference
    assert '"state": "pending"' in rows[2][6]
    assert '"state": "approved"' in rows[2][7]
    assert rows[2][8] == "Fair."


def test_agents_cannot_export_the_trail(client, agent, trail):
    client.force_login(agent)

    assert client.get("/crisis/compensation/audit.csv").status_code == 403
    assert client.get("/crisis/compensation/audit/").status_code == 403


def test_the_audit_page_filters_by_ticket(client, manager, trail, affected, make_ticket):
    client.force_login(manager)

    page = client.get(f"/crisis/compensation/audit/?ticket={affected.reference}").text
    other = client.get("/crisis/compensation/audit/?ticket=NONE-0000").text

    assert "Fair." in page
    assert "Fair." not in other


def test_a_manager_reads_the_trail_in_the_admin_but_cannot_change_it(client, trail):
    head = UserFactory(username="head", is_staff=True, roles=["Agents", "Managers"])
    client.force_login(head)
    entry = trail[-1]

    assert client.get("/admin/crisis/auditentry/").status_code == 200
    assert client.get(f"/admin/crisis/auditentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/admin/crisis/auditentry/{entry.pk}/change/", {"note": "x"}).status_code == 403
    assert client.post(f"/admin/crisis/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_agent_with_admin_access_does_not_see_the_trail_there(client, roles, trail):
    clerk = UserFactory(username="clerk", is_staff=True, roles=["Agents"])
    client.force_login(clerk)

    response = client.get("/admin/crisis/auditentry/")

    assert response.status_code == 302  # the admin lets in managers and superusers only
    assert response["Location"].startswith("/admin/login/")
