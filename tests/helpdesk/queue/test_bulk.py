"""Bulk actions on the queue page: tick requests (or all matching), choose a change, confirm."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.models import OrmQ

from helpdesk import bulk, tasks
from helpdesk.models import BulkChange, Notification, Priority, Queue, Ticket, TicketEntry
from tests.helpdesk.queue.test_page import references

BUDAPEST = ZoneInfo("Europe/Budapest")


@pytest.fixture(autouse=True)
def monday_afternoon():
    with time_machine.travel(datetime(2026, 3, 16, 15, tzinfo=BUDAPEST), tick=False):
        yield


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def many(make_ticket, count, **fields) -> list[Ticket]:
    return [make_ticket(email=f"customer{number}@example.hu", **fields) for number in range(count)]


def choose(tickets, action, **fields) -> dict:
    return {"ticket": [t.pk for t in tickets], "action": action, "filter": "", **fields}


def statuses(tickets) -> set[str]:
    return set(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("status", flat=True))


def test_agent_closes_30_requests_with_one_confirmation(agent_client, agent, make_ticket):
    tickets = many(make_ticket, 30)

    asked = agent_client.post("/agent/bulk/", choose(tickets, "status:closed"))

    assert asked.status_code == 200
    assert "Change 30 requests?" in asked.text
    assert "Status: Closed" in asked.text
    assert statuses(tickets) == {"new"}  # nothing changes before the confirmation
    done = agent_client.post(
        "/agent/bulk/", {**choose(tickets, "status:closed"), "confirm": "1"}, follow=True
    )

    assert done.redirect_chain[-1][0].startswith("/agent/")
    assert "30 requests changed." in done.text
    assert statuses(tickets) == {"closed"}
    closed = TicketEntry.objects.filter(
        event=TicketEntry.Event.STATUS_CHANGED, data__to="closed", author=agent
    )
    assert sorted(closed.values_list("ticket_id", flat=True)) == sorted(t.pk for t in tickets)
    assert not Notification.objects.exists()  # closing tells nobody, as for one request


def test_resolving_many_sends_each_customer_one_email(
    agent_client, agent, make_ticket, django_capture_on_commit_callbacks
):
    katalin = [make_ticket(email="katalin@example.hu", subject=f"Bill {n}") for n in range(3)]
    piotr = make_ticket(email="piotr@example.pl", name="Piotr Nowak", language="pl")
    nobody = make_ticket(email="", phone="+36 30 123 4567", channel="phone", identity_verified=True)
    data = {
        **choose([*katalin, piotr, nobody], "status:resolved"),
        "message": "We refunded the double charge.",
    }

    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post("/agent/bulk/", {**data, "confirm": "1"})

    assert statuses([*katalin, piotr, nobody]) == {"resolved"}
    sent = {n.to_email: n for n in Notification.objects.all()}
    assert sorted(sent) == ["katalin@example.hu", "piotr@example.pl"]
    assert Notification.objects.filter(to_email="katalin@example.hu").count() == 1
    together = sent["katalin@example.hu"]
    assert all(ticket.reference in together.body_text for ticket in katalin)
    assert "We refunded the double charge." in together.body_text
    assert together.subject == "Bejelentéseit megoldottuk"  # in her language, on none of the threads
    assert piotr.reference in sent["piotr@example.pl"].subject  # one request: its usual email


def test_a_request_that_cannot_take_the_change_is_skipped_and_counted(agent_client, agent, make_ticket):
    tickets = many(make_ticket, 5)
    for ticket in tickets[:2]:
        ticket.close(by=agent)

    response = agent_client.post(
        "/agent/bulk/", {**choose(tickets, "status:closed"), "confirm": "1"}, follow=True
    )

    assert response.status_code == 200
    assert "3 requests changed. 2 left as they were" in response.text
    assert TicketEntry.objects.filter(data__to="closed").count() == 5  # 2 before, 3 now


def test_all_matching_changes_every_page_of_the_filter(agent_client, make_ticket):
    routers = many(make_ticket, 27, subject="Router offline")
    others = [make_ticket(email="other@example.hu", subject="Address change")]
    page = agent_client.get("/agent/", {"q": "router"})
    assert "Select all 27 matching requests, on every page" in page.text

    data = {"all_matching": "1", "filter": "q=router", "action": "priority:30"}
    asked = agent_client.post("/agent/bulk/", data)
    assert "Change 27 requests?" in asked.text
    agent_client.post("/agent/bulk/", {**data, "confirm": "1"})

    assert set(Ticket.objects.filter(pk__in=[t.pk for t in routers]).values_list("priority", flat=True)) == {
        Priority.HIGH
    }
    assert Ticket.objects.get(pk=others[0].pk).priority == Priority.NORMAL


def test_agent_assigns_the_ticked_requests_to_a_colleague(agent_client, other_agent, make_ticket):
    tickets = many(make_ticket, 3)

    asked = agent_client.post("/agent/bulk/", {**choose(tickets, "assign:colleague"), "confirm": "1"})
    assert asked.status_code == 200  # no colleague chosen yet: the confirmation asks for one
    assert "Choose the colleague" in asked.text
    agent_client.post(
        "/agent/bulk/", {**choose(tickets, "assign:colleague"), "assignee": other_agent.pk, "confirm": "1"}
    )

    assert set(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("assignee", flat=True)) == {
        other_agent.pk
    }
    assert TicketEntry.objects.filter(event=TicketEntry.Event.ASSIGNED).count() == 3


def test_requests_outside_the_agents_queues_are_left_alone(
    agent_client, agent, manager, make_ticket, queue, budapest_calendar
):
    theirs = Queue.objects.create(
        name="Business", slug="business", calendar=budapest_calendar, manager=manager
    )
    queue.members.add(agent)
    elsewhere = make_ticket()
    elsewhere.move_to_queue(theirs)

    response = agent_client.post(
        "/agent/bulk/", {**choose([elsewhere], "status:closed"), "confirm": "1"}, follow=True
    )

    assert "None of the ticked requests is in your queues any more." in response.text
    assert statuses([elsewhere]) == {"new"}


def test_nothing_ticked_or_no_change_chosen_says_so(agent_client, make_ticket):
    nothing = agent_client.post("/agent/bulk/", {"action": "status:closed", "filter": "q=bill"}, follow=True)
    assert "Tick the requests to change first." in nothing.text
    assert nothing.redirect_chain[0][0] == "/agent/?q=bill"

    no_change = agent_client.post(
        "/agent/bulk/", choose(many(make_ticket, 1), "status:exploded"), follow=True
    )
    assert "Choose a change for the ticked requests." in no_change.text
    assert agent_client.post("/agent/bulk/", {"ticket": "x", "action": "status:closed"}).status_code == 302


def test_the_bulk_page_takes_only_post(agent_client):
    assert agent_client.get("/agent/bulk/").status_code == 405


def test_over_a_hundred_requests_go_to_the_worker_with_a_progress_bar(
    agent_client, agent, make_ticket, django_capture_on_commit_callbacks
):
    tickets = many(make_ticket, bulk.IN_REQUEST_LIMIT + 1)
    tickets[0].close(by=agent)

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post("/agent/bulk/", {**choose(tickets, "status:closed"), "confirm": "1"})

    change = BulkChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/agent/bulk/{change.pk}/"
    assert statuses(tickets[1:]) == {"new"}  # the request only hands it over
    waiting = agent_client.get(response["Location"])
    assert "0 of 101 done" in waiting.text
    assert 'hx-trigger="every 1s, live"' in waiting.text
    queued = [task.task for task in OrmQ.objects.all()]
    assert [task["args"] for task in queued if task["func"] == "helpdesk.tasks.run_bulk_change"] == [
        (change.pk,)
    ]

    assert tasks.run_bulk_change(change.pk) == "100 changed, 1 skipped"
    assert tasks.run_bulk_change(change.pk) == "already taken"  # a retry changes nothing twice

    assert statuses(tickets) == {"closed"}
    assert TicketEntry.objects.filter(data__to="closed").count() == 101
    done = agent_client.get(response["Location"], headers={"HX-Request": "true"})
    assert "101 of 101 done" in done.text
    assert "100 requests changed. 1 left as it was" in done.text
    assert tickets[0].reference in done.text
    assert "hx-trigger" not in done.text  # the bar stops polling


def test_the_progress_page_costs_the_same_whatever_the_size(agent_client, agent, make_ticket):
    small = BulkChange.objects.create(
        kind="status", value="closed", requested_by=agent, ticket_ids=[1], total=1
    )
    large = BulkChange.objects.create(
        kind="status", value="closed", requested_by=agent, ticket_ids=list(range(500)), total=500
    )

    def queries(change):
        with CaptureQueriesContext(connection) as captured:
            assert agent_client.get(f"/agent/bulk/{change.pk}/").status_code == 200
        return len(captured)

    assert queries(small) == queries(large)


def test_the_queue_page_offers_ticks_and_the_changes(agent_client, make_ticket):
    ticket = make_ticket()

    page = agent_client.get("/agent/")

    assert references(page) == [ticket.reference]
    assert f'name="ticket" value="{ticket.pk}" form="bulk-form"' in page.text
    assert 'value="status:closed"' in page.text
    assert "helpdesk/queue_bulk.js" in page.text


def test_agent_merges_a_customers_duplicates_into_the_one_they_keep(agent_client, agent, make_ticket):
    kept, *duplicates = [make_ticket(email="katalin@example.hu", subject=f"Router {n}") for n in range(3)]
    someone_else = make_ticket(email="piotr@example.pl")
    chosen = choose([kept, *duplicates, someone_else], "merge:")

    asked = agent_client.post("/agent/bulk/", {**chosen, "confirm": "1"})
    assert "Choose which of the ticked requests to keep." in asked.text
    assert f'<option value="{kept.pk}">{kept.reference} · Router 0</option>' in asked.text
    done = agent_client.post("/agent/bulk/", {**chosen, "target": kept.pk, "confirm": "1"}, follow=True)

    assert "2 requests changed. 1 left as it was" in done.text  # another customer's never merges
    assert set(Ticket.objects.filter(merged_into=kept).values_list("pk", flat=True)) == {
        duplicate.pk for duplicate in duplicates
    }
    assert Ticket.objects.get(pk=kept.pk).status == "new"
    assert Ticket.objects.get(pk=someone_else.pk).merged_into is None
    assert kept.entries.filter(event=TicketEntry.Event.MERGED).count() == 2
    assert not Notification.objects.exists()


def test_a_merge_of_more_than_a_page_is_refused(agent_client, make_ticket):
    tickets = many(make_ticket, 26)

    response = agent_client.post("/agent/bulk/", choose(tickets, "merge:"), follow=True)

    assert "Merge at most 25 requests at once." in response.text


def test_agent_tags_many_requests_at_once_and_those_already_tagged_are_counted(
    agent_client, agent, make_ticket
):
    tickets = many(make_ticket, 5)
    tickets[0].add_tag("refund", by=agent)

    asked = agent_client.post("/agent/bulk/", choose(tickets, "tag:"))
    empty = agent_client.post("/agent/bulk/", {**choose(tickets, "tag:"), "tag": "  ", "confirm": "1"})
    done = agent_client.post(
        "/agent/bulk/", {**choose(tickets, "tag:"), "tag": " Refund ", "confirm": "1"}, follow=True
    )

    assert asked.status_code == empty.status_code == 200
    assert 'name="tag"' in asked.text
    assert "Write the tag to add." in empty.text
    assert "4 requests changed. 1 left as it was" in done.text
    for ticket in tickets:
        assert list(ticket.tags.values_list("name", flat=True)) == ["refund"]
    added = TicketEntry.objects.filter(event=TicketEntry.Event.TAG_ADDED, author=agent)
    assert added.count() == 5  # one by hand first, then one each for the other four
