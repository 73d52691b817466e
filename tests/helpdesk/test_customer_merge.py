"""Agents merge a duplicate customer record: pick it, confirm, the requests move, it is recorded."""

import pytest
from django.urls import reverse

from helpdesk.models import Customer, Notification, TicketEntry


@pytest.fixture
def istvan_by_phone(make_ticket, agent):
    """Known from a call: a name and a phone number, no email."""
    return make_ticket(channel="phone", name="Nagy István", email="", phone="+36301112233", by=agent)


@pytest.fixture
def istvan_by_web(make_ticket):
    """The same man on the web form with his address: a record of its own (nobody verified him)."""
    return make_ticket(channel="web", name="Nagy I.", email="istvan@example.hu", phone="+36301112233")


def merge_url(customer, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("helpdesk:customer-merge", args=[customer.pk]) + (f"?{query}" if query else "")


def test_the_web_request_made_a_second_record(istvan_by_phone, istvan_by_web):
    assert istvan_by_phone.customer_id != istvan_by_web.customer_id


def test_the_ticket_page_leads_to_the_merge_page(client, agent, istvan_by_phone):
    client.force_login(agent)

    response = client.get(reverse("helpdesk:ticket-detail", args=[istvan_by_phone.reference]))

    assert merge_url(istvan_by_phone.customer, **{"from": istvan_by_phone.reference}) in response.text


def test_an_agent_finds_the_duplicate_and_sees_both_records_before_confirming(
    client, agent, istvan_by_phone, istvan_by_web
):
    kept, duplicate = istvan_by_phone.customer, istvan_by_web.customer
    client.force_login(agent)

    found = client.get(merge_url(kept, q="istvan@"))
    chosen = client.get(merge_url(kept, duplicate=duplicate.pk))

    assert found.status_code == 200
    assert f"?duplicate={duplicate.pk}" in found.text
    assert chosen.status_code == 200
    assert istvan_by_web.reference in chosen.text
    assert istvan_by_phone.reference in chosen.text
    assert 'method="post"' in chosen.text
    assert Customer.objects.count() == 2  # looking changes nothing


def test_merging_moves_the_requests_fills_in_the_details_and_records_it_on_both(
    client, agent, istvan_by_phone, istvan_by_web
):
    kept, duplicate = istvan_by_phone.customer, istvan_by_web.customer
    Notification.objects.create(
        ticket=istvan_by_web, customer=duplicate, kind="acknowledgement", to_email="istvan@example.hu"
    )
    client.force_login(agent)

    response = client.post(merge_url(kept), {"duplicate": duplicate.pk, "from": istvan_by_phone.reference})

    assert response.status_code == 302
    assert response["Location"] == istvan_by_phone.get_absolute_url()
    assert not Customer.objects.filter(pk=duplicate.pk).exists()
    kept.refresh_from_db()
    assert (kept.name, kept.email, kept.phone) == ("Nagy István", "istvan@example.hu", "+36301112233")
    assert set(kept.tickets.values_list("reference", flat=True)) == {
        istvan_by_phone.reference,
        istvan_by_web.reference,
    }
    assert Notification.objects.get().customer == kept
    for ticket in (istvan_by_phone, istvan_by_web):
        event = ticket.entries.get(event=TicketEntry.Event.CUSTOMER_MERGED)
        assert event.author == agent
        assert not event.is_public
        assert event.data["tickets"] == [istvan_by_web.reference]
        assert "istvan@example.hu" in event.data["from"]
    page = client.get(istvan_by_web.get_absolute_url())
    assert 'data-testid="customer-merged"' in page.text


def test_a_second_merge_of_the_same_duplicate_is_refused_kindly(
    client, agent, istvan_by_phone, istvan_by_web
):
    kept, duplicate = istvan_by_phone.customer, istvan_by_web.customer
    client.force_login(agent)
    client.post(merge_url(kept), {"duplicate": duplicate.pk})

    response = client.post(merge_url(kept), {"duplicate": duplicate.pk})

    assert response.status_code == 400
    assert "no longer exists" in response.text
    assert kept.tickets.count() == 2


def test_a_customer_cannot_be_merged_with_themselves(client, agent, istvan_by_phone):
    kept = istvan_by_phone.customer
    client.force_login(agent)

    response = client.post(merge_url(kept), {"duplicate": kept.pk})

    assert response.status_code == 400
    assert Customer.objects.filter(pk=kept.pk).exists()


def test_the_merge_is_for_agents_and_changes_only_by_post(
    client, outsider, agent, istvan_by_phone, istvan_by_web
):
    kept, duplicate = istvan_by_phone.customer, istvan_by_web.customer
    client.force_login(outsider)
    assert client.post(merge_url(kept), {"duplicate": duplicate.pk}).status_code == 403
    client.logout()
    assert client.post(merge_url(kept), {"duplicate": duplicate.pk}).status_code == 302  # to the login
    client.force_login(agent)
    assert client.put(merge_url(kept)).status_code == 405
    assert client.get(merge_url(kept, duplicate=duplicate.pk)).status_code == 200
    assert Customer.objects.count() == 2


def test_an_unknown_customer_is_404(client, agent, db):
    client.force_login(agent)

    assert client.get(reverse("helpdesk:customer-merge", args=[999])).status_code == 404


def test_merging_keeps_the_team_notes_of_both_records(
    client, agent, other_agent, istvan_by_phone, istvan_by_web
):
    kept, duplicate = istvan_by_phone.customer, istvan_by_web.customer
    kept.write_note("Prefers a call after 16:00.", by=agent, seen_at=None)
    duplicate.write_note("Promised a refund of the second charge.", by=other_agent, seen_at=None)
    client.force_login(agent)

    client.post(merge_url(kept), {"duplicate": duplicate.pk})

    kept.refresh_from_db()
    assert kept.note == "Prefers a call after 16:00.\n\nPromised a refund of the second charge."
    assert kept.note_updated_by == agent
    assert "Prefers a call after 16:00." in client.get(f"/agent/customers/{kept.pk}/").text


def test_the_duplicates_note_becomes_the_kept_records_note_when_it_had_none(
    client, agent, other_agent, istvan_by_phone, istvan_by_web
):
    kept, duplicate = istvan_by_phone.customer, istvan_by_web.customer
    duplicate.write_note("Promised a refund of the second charge.", by=other_agent, seen_at=None)
    client.force_login(agent)

    client.post(merge_url(kept), {"duplicate": duplicate.pk})

    kept.refresh_from_db()
    assert kept.note == "Promised a refund of the second charge."
