"""Mass sending: every linked customer and subscriber once, in their language, with unsubscribe."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crisis import sending
from crisis.models import IncidentTicket, Subscription, UpdateRecipient
from tests.crisis.conftest import UPDATE


@pytest.fixture
def audience(incident, make_ticket):
    """Two linked customers (one writes twice), three subscribers (one also a customer, one
    unconfirmed, one who left)."""
    for email, language in [
        ("katalin@example.hu", "hu"),
        ("katalin@example.hu", "hu"),
        ("jan@example.pl", "pl"),
    ]:
        ticket = make_ticket(email=email, language=language, name="Customer")
        IncidentTicket.objects.create(incident=incident, ticket=ticket, via="agent")
    now = timezone.now()
    Subscription.objects.create(incident=incident, email="eve@example.com", language="en", confirmed_at=now)
    Subscription.objects.create(incident=incident, email="jan@example.pl", language="en", confirmed_at=now)
    Subscription.objects.create(incident=incident, email="unconfirmed@example.com", language="en")
    Subscription.objects.create(
        incident=incident, email="left@example.com", language="en", confirmed_at=now, unsubscribed_at=now
    )
    return incident


def publish(draft, manager):
    draft.publish(by=manager)
    return sending.send(draft.pk)


def test_each_address_gets_one_message_in_its_language(audience, draft, manager):
    publish(draft, manager)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["eve@example.com", "jan@example.pl", "katalin@example.hu"]
    assert UPDATE["hu"] in by_address["katalin@example.hu"].body
    assert UPDATE["pl"] in by_address["jan@example.pl"].body  # the customer's language wins
    assert UPDATE["en"] in by_address["eve@example.com"].body


def test_sending_again_sends_nothing_more(audience, draft, manager):
    publish(draft, manager)
    sending.send(draft.pk)
    sending.list_recipients(draft)
    sending.send(draft.pk)

    assert len(mail.outbox) == 3
    assert UpdateRecipient.objects.filter(update=draft).count() == 3


def test_every_update_carries_a_one_click_unsubscribe(client, audience, draft, manager):
    publish(draft, manager)
    message = next(m for m in mail.outbox if m.to == ["eve@example.com"])

    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.search(r"<https?://[^/]+(/crisis/unsubscribe/[^>]+)>", header).group(1)
    assert url in message.body
    # A mail client's one-click POST, without our CSRF token.
    client.handler.enforce_csrf_checks = True
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200

    assert Subscription.objects.get(email="eve@example.com").unsubscribed_at is not None


def test_a_linked_customer_who_unsubscribed_gets_no_more_updates(client, audience, draft, manager, agent):
    publish(draft, manager)
    message = next(m for m in mail.outbox if m.to == ["katalin@example.hu"])
    url = re.search(r"(/crisis/unsubscribe/[^\s]+)", message.body).group(1)
    client.get(url)  # a mail scanner following the link changes nothing
    assert not Subscription.objects.filter(email="katalin@example.hu").exists()
    client.post(url)
    mail.outbox.clear()

    from crisis.models import IncidentUpdate

    second = IncidentUpdate.draft(audience, by=agent, texts=UPDATE)
    publish(second, manager)

    assert sorted(m.to[0] for m in mail.outbox) == ["eve@example.com", "jan@example.pl"]


def test_a_forged_unsubscribe_token_is_refused(client, audience):
    assert client.post("/crisis/unsubscribe/not-a-token/").status_code == 404


def test_progress_counts_come_from_one_query(audience, draft, manager):
    draft.publish(by=manager)
    sending.list_recipients(draft)
    sending.write_batch(draft, size=2)

    with CaptureQueriesContext(connection) as queries:
        progress = sending.progress(draft)

    assert len(queries) == 1
    assert (progress["total"], progress["sent"], progress["pending"], progress["failed"]) == (3, 0, 3, 0)
    sending.send(draft.pk)
    progress = sending.progress(draft)
    assert (progress["sent"], progress["pending"], progress["done"]) == (3, 0, True)


def test_the_progress_bar_polls_until_done(client, audience, draft, manager):
    draft.publish(by=manager)
    client.force_login(manager)

    pending = client.get(f"/crisis/updates/{draft.pk}/progress/").content.decode()
    assert "hx-trigger" in pending
    assert "Listing the recipients" in pending

    sending.send(draft.pk)
    done = client.get(f"/crisis/updates/{draft.pk}/progress/").content.decode()
    assert "hx-trigger" not in done
    assert "3 of 3 sent" in done


def test_a_linked_customer_s_message_shows_on_their_ticket(audience, draft, manager):
    publish(draft, manager)

    ticket = IncidentTicket.objects.filter(ticket__customer__email="jan@example.pl").get().ticket
    assert ticket.entries.filter(event="notified", data__kind="announcement").exists()
