"""Incident updates as a customer preference: an agent stops them all at the customer's request,
both the incidents their address subscribed to and those their requests are linked to."""

from crisis.models import IncidentTicket, Subscription
from helpdesk.models import PreferenceChange


def test_an_agent_stops_every_incident_update_at_the_customers_request(
    client, agent, make_ticket, make_incident
):
    ticket = make_ticket(email="katalin@example.hu", language="hu")
    linked, subscribed = make_incident(), make_incident(title="Mobile app down")
    linked.link(ticket, via=IncidentTicket.Via.AGENT, by=agent)
    Subscription.request(subscribed, email="Katalin@example.hu", language="hu").confirm()
    client.force_login(agent)

    client.post(
        f"/agent/customers/{ticket.customer.pk}/preferences/",
        {"language": "hu", "stop_incident_updates": "on", "request": "Asked at the front desk"},
    )

    stopped = Subscription.objects.filter(email="katalin@example.hu", unsubscribed_at__isnull=False)
    assert set(stopped.values_list("incident", flat=True)) == {linked.pk, subscribed.pk}
    assert PreferenceChange.objects.get().changes == [{"preference": "stop_incident_updates", "value": True}]
    page = client.get(f"/agent/customers/{ticket.customer.pk}/").text
    assert "opted out for 2 incidents" in page
    assert "incident updates stopped" in page


def test_stopping_again_changes_nothing(client, agent, make_ticket, make_incident):
    ticket = make_ticket(email="katalin@example.hu")
    make_incident().link(ticket, via=IncidentTicket.Via.AGENT, by=agent)
    client.force_login(agent)
    data = {"language": "hu", "stop_incident_updates": "on", "request": "On the phone"}

    client.post(f"/agent/customers/{ticket.customer.pk}/preferences/", data)
    client.post(f"/agent/customers/{ticket.customer.pk}/preferences/", data)

    assert PreferenceChange.objects.count() == 1
