"""Beside the ticket and on the customer's page, agents see the customer's incident update
subscriptions and opt-outs (crisis's part of the helpdesk's customer panel)."""

import re

from django.utils import timezone

from crisis.models import Subscription


def panel(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.split('data-testid="customer-panel"')[1]).split())


def test_opt_outs_and_subscriptions_of_the_customers_address_are_shown(
    client, agent, make_ticket, make_incident
):
    ticket = make_ticket(email="Katalin@Example.hu")
    first, second = make_incident(), make_incident(title="Wrong bills sent")
    Subscription.opt_out(first.pk, "katalin@example.hu")
    Subscription.objects.create(
        incident=second, email="katalin@example.hu", language="hu", confirmed_at=timezone.now()
    )
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{ticket.reference}/").text

    assert "Incident updates opted out for 1 incident, subscribed to 1 incident" in panel(page)


def test_a_customer_without_subscriptions_gets_the_updates_of_their_incidents(client, agent, make_ticket):
    ticket = make_ticket()
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{ticket.reference}/").text

    assert "Incident updates receives the updates of incidents their requests are linked to" in panel(page)


def test_a_customer_without_email_has_no_updates_by_email(client, agent, make_ticket):
    ticket = make_ticket(channel="walk_in", email="", name="Kovács Béla")
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{ticket.reference}/").text

    assert "Incident updates no email address to send them to" in panel(page)
