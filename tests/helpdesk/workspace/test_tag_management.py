"""Managers keep the team's tags tidy: a page of tags with how many requests carry each, rename
(merging into a tag of the new name), delete. Each request touched keeps a line on its timeline."""

import re

import pytest

from helpdesk.models import Tag, TicketEntry


def tag_names(ticket):
    return list(ticket.tags.values_list("name", flat=True))


@pytest.fixture
def tagged(agent, make_ticket):
    """Three requests: two say "refnd" (a typo), one says "refund" and "refnd"."""
    first, second, third = (make_ticket(email=f"customer{n}@example.hu") for n in range(3))
    for ticket in (first, second, third):
        ticket.add_tag("refnd", by=agent)
    third.add_tag("refund", by=agent)
    return first, second, third


def test_a_manager_sees_each_tag_with_how_many_requests_carry_it(client, manager, tagged):
    Tag.objects.create(name="unused")
    client.force_login(manager)

    page = client.get("/manage/tags/").text

    rows = re.findall(r'data-tag="([^"]+)">.*?data-testid="tag-count">(\d+)<', page, re.S)
    assert rows == [("refnd", "3"), ("refund", "1"), ("unused", "0")]
    assert 'href="/manage/tags/"' in client.get("/agent/").text  # in the managers' navigation


@pytest.mark.parametrize("size", [1, 8])
def test_the_tag_page_reads_the_same_queries_whatever_the_number_of_tags(
    client, manager, make_ticket, django_assert_num_queries, size
):
    ticket = make_ticket()
    for number in range(size):
        ticket.add_tag(f"tag {number}", by=manager)
    client.force_login(manager)

    # The session, the manager, the tags with their counts.
    with django_assert_num_queries(3):
        response = client.get("/manage/tags/")

    assert response.text.count('data-testid="tag-count">1<') == size


def test_renaming_a_tag_renames_it_on_every_request_with_a_timeline_line(client, manager, agent, make_ticket):
    first, second = make_ticket(), make_ticket(email="other@example.hu")
    for ticket in (first, second):
        ticket.add_tag("routr", by=agent)
    tag = Tag.objects.get(name="routr")
    client.force_login(manager)

    response = client.post(f"/manage/tags/{tag.pk}/rename/", {"name": " Router "})

    assert response.status_code == 302
    assert tag_names(first) == tag_names(second) == ["router"]
    assert Tag.objects.get(pk=tag.pk).name == "router"
    line = first.entries.get(event=TicketEntry.Event.TAG_RENAMED)
    assert (line.data, line.author, line.is_public) == ({"from": "routr", "to": "router"}, manager, False)
    assert "renamed to" in client.get("/manage/tags/").text
    timeline = client.get(f"/agent/tickets/{first.reference}/").text
    assert "Tag renamed" in timeline


def test_renaming_to_an_existing_tag_merges_the_two(client, manager, tagged):
    first, second, third = tagged
    typo = Tag.objects.get(name="refnd")
    client.force_login(manager)

    response = client.post(f"/manage/tags/{typo.pk}/rename/", {"name": "Refund"})

    assert response.status_code == 302
    assert not Tag.objects.filter(name="refnd").exists()
    assert tag_names(first) == tag_names(second) == tag_names(third) == ["refund"]
    assert TicketEntry.objects.filter(event=TicketEntry.Event.TAG_RENAMED).count() == 3
    page = client.get("/manage/tags/").text
    assert "merged into" in page
    assert re.findall(r'data-tag="([^"]+)">.*?data-testid="tag-count">(\d+)<', page, re.S) == [
        ("refund", "3")
    ]


def test_a_refused_rename_keeps_what_was_typed(client, manager, tagged):
    typo = Tag.objects.get(name="refnd")
    client.force_login(manager)

    empty = client.post(f"/manage/tags/{typo.pk}/rename/", {"name": "   "})
    same = client.post(f"/manage/tags/{typo.pk}/rename/", {"name": "REFND"})

    assert empty.status_code == same.status_code == 200
    assert empty.context["form"].errors
    assert same.context["form"]["name"].value() == "REFND"
    assert "already called" in same.text
    assert not TicketEntry.objects.filter(event=TicketEntry.Event.TAG_RENAMED).exists()


def test_deleting_a_tag_says_how_many_requests_lose_it_then_takes_it_off(client, manager, tagged):
    typo = Tag.objects.get(name="refnd")
    client.force_login(manager)

    confirmation = client.get(f"/manage/tags/{typo.pk}/delete/")
    assert "3 requests will lose it" in confirmation.text
    assert Tag.objects.filter(pk=typo.pk).exists()  # asking changes nothing

    response = client.post(f"/manage/tags/{typo.pk}/delete/")

    assert response.status_code == 302
    assert not Tag.objects.filter(name="refnd").exists()
    assert [tag_names(ticket) for ticket in tagged] == [[], [], ["refund"]]
    removed = TicketEntry.objects.filter(event=TicketEntry.Event.TAG_REMOVED, data={"name": "refnd"})
    assert sorted(removed.values_list("ticket_id", flat=True)) == sorted(t.pk for t in tagged)
    assert "3 requests lost it" in client.get("/manage/tags/").text


def test_deleting_a_tag_twice_says_it_is_gone(client, manager, tagged):
    typo = Tag.objects.get(name="refnd")
    client.force_login(manager)
    client.post(f"/manage/tags/{typo.pk}/delete/")

    again = client.post(f"/manage/tags/{typo.pk}/delete/")

    assert again.status_code == 404
    assert TicketEntry.objects.filter(event=TicketEntry.Event.TAG_REMOVED).count() == 3


def test_agents_cannot_rename_or_delete_tags(client, agent, tagged):
    typo = Tag.objects.get(name="refnd")
    client.force_login(agent)

    assert client.get("/manage/tags/").status_code == 403
    assert client.post(f"/manage/tags/{typo.pk}/rename/", {"name": "x"}).status_code == 403
    assert client.post(f"/manage/tags/{typo.pk}/delete/").status_code == 403
    assert Tag.objects.get(pk=typo.pk).tickets.count() == 3
    assert 'href="/manage/tags/"' not in client.get("/agent/").text
