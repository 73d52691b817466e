"""Duplicates merged, relatives linked; and the workspace page itself: access and query count."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devtools.demo.canned_responses import seed_canned_responses
from helpdesk.models import Attachment, Notification, Ticket, TicketEntry
from helpdesk.roles import MANAGERS
from tests.helpdesk.workspace.conftest import MONDAY_MORNING


@pytest.fixture
def duplicate(make_ticket):
    """The same customer wrote again about the same bill."""
    return make_ticket(subject="Charged twice!!", body="Still nobody answered about my double charge.")


def url(ticket, action=""):
    return f"/agent/tickets/{ticket.reference}/{action + '/' if action else ''}"


# --- merge ------------------------------------------------------------------------------------


def test_merging_asks_for_confirmation_first_and_changes_nothing_until_then(client, agent, ticket, duplicate):
    client.force_login(agent)

    response = client.post(url(duplicate, "merge"), {"merge-reference": ticket.reference.lower()})

    assert response.status_code == 200
    assert f"Merge {duplicate.reference} into {ticket.reference}?" in response.text
    assert "Charged twice!!" in response.text
    assert ticket.subject in response.text
    assert "A merge cannot be undone." in response.text
    assert f'<form method="post" action="{url(duplicate, "merge")}">' in response.text
    assert f'name="merge-reference" value="{ticket.reference}"' in response.text
    assert 'name="merge-confirmed" value="True"' in response.text
    duplicate.refresh_from_db()
    assert (duplicate.merged_into, duplicate.status) == (None, Ticket.Status.NEW)
    assert not TicketEntry.objects.filter(event=TicketEntry.Event.MERGED).exists()


def test_a_refused_merge_is_refused_before_asking_for_confirmation(client, agent, ticket, make_ticket):
    stranger = make_ticket(email="stranger@example.hu", name="Other Person")
    client.force_login(agent)

    response = client.post(url(stranger, "merge"), {"merge-reference": ticket.reference})

    assert response.status_code == 409
    assert "Only requests of the same customer can be merged." in response.text
    assert "A merge cannot be undone." not in response.text


def test_a_duplicate_is_merged_quietly_and_its_messages_stay_visible_on_the_target(
    client, agent, ticket, duplicate
):
    client.force_login(agent)

    response = client.post(
        url(duplicate, "merge"), {"merge-reference": ticket.reference.lower(), "merge-confirmed": "True"}
    )

    assert response.status_code == 302
    assert response.url == url(ticket)
    duplicate.refresh_from_db()
    assert (duplicate.merged_into, duplicate.status) == (ticket, Ticket.Status.CLOSED)
    assert not duplicate.is_in_line
    assert duplicate.entries.filter(event=TicketEntry.Event.MERGED).get().data == {"into": ticket.reference}
    assert ticket.entries.filter(event=TicketEntry.Event.MERGED).get().data == {"from": duplicate.reference}
    assert not Notification.objects.exists()
    page = client.get(url(ticket)).text
    assert "Still nobody answered about my double charge." in page
    assert f"from merged {duplicate.reference}" in page
    assert ticket.timeline().filter(ticket=duplicate, kind="message", is_public=True).count() == 1


def test_a_merged_ticket_points_to_its_target_and_takes_no_reply(client, agent, ticket, duplicate):
    duplicate.merge_into(ticket, by=agent)
    client.force_login(agent)

    page = client.get(url(duplicate))
    refused = client.post(url(duplicate, "reply"), {"body": "Hello", "seen_up_to": 0})

    assert 'data-testid="merged-into"' in page.text
    assert refused.status_code == 409
    assert not duplicate.entries.filter(kind="reply").exists()


def test_another_customers_ticket_is_never_merged(client, agent, ticket, make_ticket):
    stranger = make_ticket(email="stranger@example.hu", name="Other Person")
    client.force_login(agent)

    response = client.post(
        url(stranger, "merge"), {"merge-reference": ticket.reference, "merge-confirmed": "True"}
    )

    assert response.status_code == 409
    assert Ticket.objects.get(pk=stranger.pk).merged_into is None


def test_merge_refuses_itself_and_unknown_references_keeping_the_input(client, agent, ticket):
    client.force_login(agent)

    itself = client.post(url(ticket, "merge"), {"merge-reference": ticket.reference})
    unknown = client.post(url(ticket, "merge"), {"merge-reference": "XXXX-0000"})

    assert itself.status_code == 409
    assert unknown.status_code == 200
    assert 'value="XXXX-0000"' in unknown.text
    assert Ticket.objects.get(pk=ticket.pk).merged_into is None


def test_merging_needs_post_and_an_agent(client, agent, outsider, ticket, duplicate):
    client.force_login(agent)
    assert client.get(url(duplicate, "merge")).status_code == 405
    client.force_login(outsider)
    assert client.post(url(duplicate, "merge"), {"merge-reference": ticket.reference}).status_code == 403
    assert Ticket.objects.get(pk=duplicate.pk).merged_into is None


# --- link -------------------------------------------------------------------------------------


def test_related_tickets_are_linked_both_ways(client, agent, ticket, make_ticket):
    neighbour = make_ticket(email="neighbour@example.hu", subject="Also charged twice")
    client.force_login(agent)

    response = client.post(url(ticket, "link"), {"link-reference": neighbour.reference})

    assert response.status_code == 302
    assert list(neighbour.related.all()) == [ticket]
    for side, other in ((ticket, neighbour), (neighbour, ticket)):
        linked = side.entries.get(event=TicketEntry.Event.LINKED)
        assert (linked.data, linked.is_public) == ({"to": other.reference}, False)
    assert neighbour.reference in client.get(url(ticket)).text


def test_linking_twice_or_to_itself_is_refused(client, agent, ticket, make_ticket):
    neighbour = make_ticket(email="neighbour@example.hu")
    ticket.link(neighbour, by=agent)
    client.force_login(agent)

    assert client.post(url(neighbour, "link"), {"link-reference": ticket.reference}).status_code == 409
    assert client.post(url(ticket, "link"), {"link-reference": ticket.reference}).status_code == 409
    assert ticket.entries.filter(event=TicketEntry.Event.LINKED).count() == 1


# --- the page ---------------------------------------------------------------------------------


def test_the_workspace_is_for_agents_only(client, outsider, ticket):
    assert client.get(url(ticket)).status_code == 302
    client.force_login(outsider)
    assert client.get(url(ticket)).status_code == 403


def test_an_unknown_reference_is_not_found(client, agent):
    client.force_login(agent)
    assert client.get("/agent/tickets/XXXX-0000/").status_code == 404


def queries_for_page(client, ticket) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(ticket)).status_code == 200
    return len(captured)


def grow(ticket, agent, other_agent, entries: int) -> None:
    for number in range(entries):
        if number % 3 == 0:
            ticket.add_note(by=agent, body=f"Note {number}")
        elif number % 3 == 1:
            ticket.receive_customer_message(body=f"Message {number}", channel="email")
        else:
            ticket.reply(by=other_agent, body=f"Reply {number}")


def attach_a_file(ticket) -> None:
    entry = ticket.entries.filter(kind="message").first()
    Attachment.objects.create(
        entry=entry,
        file="attachments/scan.pdf",
        filename="scan.pdf",
        content_type="application/pdf",
        size=1000,
    )


def test_the_page_takes_the_same_number_of_queries_for_5_and_50_entries(
    client, agent, other_agent, make_ticket
):
    seed_canned_responses()
    small, large = make_ticket(), make_ticket(email="busy@example.hu")
    grow(small, agent, other_agent, 4)
    grow(large, agent, other_agent, 49)
    for ticket in (small, large):
        ticket.add_next_step(by=agent, description="Refund", due_on=MONDAY_MORNING.date())
        ticket.request_attention(by=agent, reason="Compensation")
    client.force_login(agent)
    client.get(url(small))  # warm: the first look at each page is measured by neither
    client.get(url(large))

    small_count, large_count = queries_for_page(client, small), queries_for_page(client, large)

    assert small.entries.count() < 10 < 50 <= large.entries.count()
    assert small_count == large_count
    # session, the user (with their roles), the ticket (and whether it has duplicates, related
    # requests, attention requests or next steps), the timeline, next steps, attention requests,
    # canned responses, the tags to suggest, the crisis links, the customer's other requests, their
    # survey opt-out and incident subscriptions, the agents to assign to, notifications, and the
    # record of who looked (one INSERT).
    # No chat (not a chat), no files (none attached), no briefing (none to read), no duplicates
    # or related requests (none), no tags of the ticket (none), and the queue's opening hours
    # come from the cache, as does who else is viewing ("I am viewing it" included).
    assert large_count == 15

    # With files: one more query, whatever the number of entries.
    for ticket in (small, large):
        attach_a_file(ticket)
    assert queries_for_page(client, small) == queries_for_page(client, large) == 16
    assert "scan.pdf" in client.get(url(large)).text

    # With a merged duplicate and a related request: one more query for each.
    for ticket in (small, large):
        make_ticket(email=ticket.customer.email).merge_into(ticket, by=agent)
        ticket.link(make_ticket(email=f"neighbour-{ticket.pk}@example.hu"), by=agent)
    assert queries_for_page(client, small) == queries_for_page(client, large) == 18


def test_a_ticket_is_read_noting_which_of_its_rows_exist(agent, ticket, make_ticket):
    relations = ["merged_tickets", "related", "attention_requests", "next_steps", "tags"]

    def flags():
        noted = Ticket.objects.noting_which_exist(*relations).get(pk=ticket.pk)
        return [getattr(noted, f"has_{relation}") for relation in relations]

    assert flags() == [False, False, False, False, False]
    make_ticket(email=ticket.customer.email).merge_into(ticket, by=agent)
    ticket.link(make_ticket(email="neighbour@example.hu"), by=agent)
    ticket.request_attention(by=agent, reason="Compensation")
    ticket.add_next_step(by=agent, description="Refund", due_on=MONDAY_MORNING.date())
    ticket.add_tag("refund", by=agent)
    assert flags() == [True, True, True, True, True]


def test_a_ticket_without_next_steps_or_escalations_asks_for_neither(client, agent, ticket):
    client.force_login(agent)
    client.get(url(ticket))
    with CaptureQueriesContext(connection) as captured:
        client.get(url(ticket))
    reads = [query["sql"].split(".")[0] for query in captured]
    assert 'SELECT "helpdesk_ticket"' in reads
    assert 'SELECT "helpdesk_nextstep"' not in reads
    assert 'SELECT "helpdesk_attentionrequest"' not in reads
    # The fifteen above without next steps and attention requests, and one for the ticket's place
    # in line (it is new, waiting for a first answer: the canned responses name the expected time).
    assert len(captured) == 14


def test_managers_look_after_the_canned_responses(roles):
    managers = Group.objects.get(name=MANAGERS)
    codenames = set(managers.permissions.values_list("codename", flat=True))
    assert {"add_cannedresponse", "change_cannedresponse", "delete_cannedresponse"} <= codenames
