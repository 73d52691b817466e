"""Customers: "I am affected" in one step, email updates with double opt-in."""

import re

import pytest
from django.core import mail

from crisis.models import IncidentTicket, IncidentUpdate, Subscription
from helpdesk.mail import delivery
from helpdesk.models import Notification, Ticket
from tests.crisis.conftest import UPDATE


def report(client, incident, **overrides):
    data = {
        "name": "Katalin Szabó",
        "email": "katalin@example.hu",
        "language": "hu",
        "details": "",
        **overrides,
    }
    return client.post(f"/crisis/report/{incident.pk}/", data)


def test_reporting_links_the_request_at_intake_and_acknowledges_it_the_crisis_way(
    client, incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, incident)

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url.startswith("/tickets/new/done/")
    assert ticket.reference in client.get(response.url).text
    assert IncidentTicket.objects.get().via == IncidentTicket.Via.INTAKE
    assert ticket.category == incident.categories.get()
    assert ticket.entries.filter(event="incident_linked").exists()
    acknowledgement = Notification.objects.get(kind=Notification.Kind.ACKNOWLEDGEMENT)
    assert "Nem működik a kártyás fizetés" in acknowledgement.subject
    assert "Egyes ügyfeleinknél" in acknowledgement.body_text  # the latest update, in Hungarian
    assert "/crisis/unsubscribe/" in acknowledgement.body_text
    delivery.deliver_due()
    assert [message.to for message in mail.outbox] == [["katalin@example.hu"]]


def test_a_reported_customer_receives_the_next_update(client, incident, agent, manager):
    from crisis import sending

    report(client, incident)
    update = IncidentUpdate.draft(incident, by=agent, texts=UPDATE)
    update.publish(by=manager)
    mail.outbox.clear()
    sending.send(update.pk)

    assert [message.to for message in mail.outbox] == [["katalin@example.hu"]]
    assert UPDATE["hu"] in mail.outbox[0].body


def test_an_unlinked_request_still_gets_the_usual_acknowledgement(incident, make_ticket):
    make_ticket(acknowledge=True, email="other@example.hu", language="en")

    assert "We have received your request" in Notification.objects.get().subject


def test_the_report_form_keeps_what_was_typed(client, incident):
    response = report(client, incident, email="not an address", details="It failed twice")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Katalin Szabó" in page
    assert "It failed twice" in page
    assert not Ticket.objects.exists()


def test_a_resolved_incident_takes_no_reports(client, incident, agent, manager):
    IncidentUpdate.draft(incident, by=agent, texts=UPDATE, final=True).publish(by=manager)

    assert report(client, incident).status_code == 404


def test_email_subscription_needs_the_owner_s_confirmation(
    client, incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/crisis/subscribe/{incident.pk}/", {"email": "Eve@Example.com"})

    assert 'data-testid="subscribe-sent"' in response.content.decode()
    subscription = Subscription.objects.get()
    delivery.deliver_due()
    assert subscription.email == "eve@example.com"
    assert not subscription.is_receiving
    assert mail.outbox[0].to == ["eve@example.com"]
    link = re.search(r"(/crisis/subscriptions/[^\s]+/)", mail.outbox[0].body).group(1)

    client.get(link)  # opening the link (or a scanner) is not yet a confirmation
    subscription.refresh_from_db()
    assert not subscription.is_receiving
    client.post(link)
    subscription.refresh_from_db()
    assert subscription.is_receiving


def test_asking_again_within_the_hour_sends_no_second_confirmation(client, incident):
    for _attempt in range(3):
        client.post(f"/crisis/subscribe/{incident.pk}/", {"email": "eve@example.com"})

    assert Notification.objects.filter(kind=Notification.Kind.CONFIRMATION).count() == 1


def test_an_invalid_address_is_refused_with_the_text_kept(client, incident):
    response = client.post(f"/crisis/subscribe/{incident.pk}/", {"email": "eve@"})

    assert response.status_code == 400
    assert 'value="eve@"' in response.content.decode()


@pytest.mark.parametrize("language", ["hu", "pl"])
def test_the_confirmation_is_in_the_visitor_s_language(client, incident, language):
    client.post(
        f"/crisis/subscribe/{incident.pk}/", {"email": "eve@example.com"}, HTTP_ACCEPT_LANGUAGE=language
    )

    assert Notification.objects.get().language == language
