"""Tags on tickets: put on and taken off in the workspace, on the timeline, shown and filtered
on the queue page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.models import InvalidTransition, Tag, TicketEntry


def url(ticket, action):
    return f"/agent/tickets/{ticket.reference}/{action}/"


def tag_events(ticket):
    return ticket.entries.filter(
        kind=TicketEntry.Kind.EVENT, event__in=[TicketEntry.Event.TAG_ADDED, TicketEntry.Event.TAG_REMOVED]
    ).order_by("pk")


def test_an_agent_tags_a_ticket_and_the_timeline_says_so(client, agent, ticket):
    client.force_login(agent)

    response = client.post(url(ticket, "tags"), {"name": "  Double   Charge "})

    assert response.status_code == 302
    assert list(ticket.tags.values_list("name", flat=True)) == ["double charge"]
    added = tag_events(ticket).get()
    assert (added.event, added.data, added.author, added.is_public) == (
        "tag_added",
        {"name": "double charge"},
        agent,
        False,
    )
    page = client.get(f"/agent/tickets/{ticket.reference}/").text
    assert re.search(r'data-testid="tag">double charge<', page)
    assert "Tag added" in page


def test_the_same_word_in_other_case_is_the_same_tag(agent, make_ticket):
    first, second = make_ticket(), make_ticket(email="other@example.hu")
    first.add_tag("Refund", by=agent)
    second.add_tag("REFUND", by=agent)
    assert Tag.objects.count() == 1


def test_a_tag_the_ticket_has_is_not_added_twice(client, agent, ticket):
    ticket.add_tag("refund", by=agent)
    client.force_login(agent)

    response = client.post(url(ticket, "tags"), {"name": "Refund"})

    assert response.status_code == 409
    assert "already has the tag" in response.text
    assert response.context["tag_form"]["name"].value() == "Refund"  # kept as typed
    assert tag_events(ticket).count() == 1


def test_an_empty_tag_is_refused_with_what_was_typed(client, agent, ticket):
    client.force_login(agent)
    response = client.post(url(ticket, "tags"), {"name": "   "})
    assert response.status_code == 200
    assert response.context["tag_form"].errors
    assert not ticket.tags.exists()
    long = client.post(url(ticket, "tags"), {"name": "x" * 41})
    assert long.context["tag_form"].errors
    assert not ticket.tags.exists()


def test_an_agent_takes_a_tag_off_and_the_timeline_says_so(client, agent, ticket):
    tag = ticket.add_tag("router", by=agent)
    client.force_login(agent)

    response = client.post(url(ticket, f"tags/{tag.pk}/remove"))

    assert response.status_code == 302
    assert not ticket.tags.exists()
    assert Tag.objects.filter(name="router").exists()  # still offered to the team
    removed = tag_events(ticket).last()
    assert (removed.event, removed.data) == ("tag_removed", {"name": "router"})
    # Taken off already (a second tab): the ticket has no such tag any more.
    assert client.post(url(ticket, f"tags/{tag.pk}/remove")).status_code == 404


def test_a_tag_taken_off_twice_is_recorded_once(agent, ticket):
    tag = ticket.add_tag("router", by=agent)
    ticket.remove_tag(tag, by=agent)
    with pytest.raises(InvalidTransition, match="already taken off"):
        ticket.remove_tag(tag, by=agent)
    assert tag_events(ticket).filter(event="tag_removed").count() == 1


def test_a_merged_ticket_takes_no_tags(agent, make_ticket):
    kept, duplicate = make_ticket(), make_ticket()
    duplicate.merge_into(kept, by=agent)
    with pytest.raises(InvalidTransition, match="merged"):
        duplicate.add_tag("refund", by=agent)
    assert not duplicate.tags.exists()


def test_the_workspace_suggests_the_tags_in_use(client, agent, make_ticket):
    make_ticket(email="other@example.hu").add_tag("invoice", by=agent)
    ticket = make_ticket()
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{ticket.reference}/").text

    assert 'list="tag-suggestions"' in page
    assert re.search(r'<datalist id="tag-suggestions"><option value="invoice">', page)


def test_only_agents_tag(client, outsider, ticket):
    client.force_login(outsider)
    assert client.post(url(ticket, "tags"), {"name": "refund"}).status_code in (302, 403)
    assert not ticket.tags.exists()
    client.logout()
    assert client.get(url(ticket, "tags")).status_code in (302, 403, 405)


def queries(client, path, **data) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, data).status_code == 200
    return len(captured)


def test_the_workspace_costs_the_same_with_one_tag_or_many(client, agent, make_ticket):
    one, many = make_ticket(), make_ticket(email="busy@example.hu")
    one.add_tag("refund", by=agent)
    for number in range(12):
        many.add_tag(f"tag {number}", by=agent)
    client.force_login(agent)
    client.get(f"/agent/tickets/{one.reference}/")
    client.get(f"/agent/tickets/{many.reference}/")

    assert queries(client, f"/agent/tickets/{one.reference}/") == queries(
        client, f"/agent/tickets/{many.reference}/"
    )


def test_the_queue_page_shows_tags_and_filters_by_one(client, agent, make_ticket):
    tagged = make_ticket(subject="Bill wrong")
    other = make_ticket(subject="Router dead", email="other@example.hu")
    tagged.add_tag("billing", by=agent)
    tagged.add_tag("vip", by=agent)
    other.add_tag("router", by=agent)
    client.force_login(agent)

    everything = client.get("/agent/").text
    filtered = client.get("/agent/", {"tag": " Billing "}).text

    assert sorted(re.findall(r'data-testid="row-tag">([^<]+)<', everything)) == ["billing", "router", "vip"]
    assert 'href="/agent/?tag=billing"' in everything
    listed = re.findall(r'data-testid="queue-row" data-reference="([^"]+)"', filtered)
    assert listed == [tagged.reference]
    assert client.get("/agent/", {"tag": "nothing like it"}).text.count('data-testid="queue-row"') == 0


def test_the_queue_page_costs_the_same_with_tags_on_every_row(client, agent, make_ticket):
    for number in range(3):
        make_ticket(email=f"first{number}@example.hu")
    client.force_login(agent)
    client.get("/agent/")
    plain = queries(client, "/agent/")
    for number in range(30):
        ticket = make_ticket(email=f"second{number}@example.hu")
        ticket.add_tag(f"tag {number % 4}", by=agent)
        ticket.add_tag("common", by=agent)

    assert queries(client, "/agent/") == plain
    assert queries(client, "/agent/", tag="common") == plain
