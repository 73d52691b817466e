"""What an anonymous sender types never attaches to, changes or reveals an existing customer.

Written from the security review's reproduction (point 2): a stranger typed the phone number
of a customer who had no email, with their own address, and took the customer over.
"""

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from crisis.models import Incident
from helpdesk import tasks
from helpdesk.models import ApiIntegration, Customer, Notification, Ticket

BUDAPEST = ZoneInfo("Europe/Budapest")
ISTVAN_PHONE = "+36301112233"
ATTACKER = "attacker@evil.example"
FORM = {
    "name": "Nagy István",
    "email": ATTACKER,
    "phone": "06 30 111 2233",
    "language": "hu",
    "subject": "Change of address",
    "description": "Please send everything to my new address.",
}


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(datetime(2026, 11, 23, 11, 0, tzinfo=BUDAPEST), tick=False):
        yield


@pytest.fixture
def istvan(client, agent, queue):
    """The demo's Nagy István: known by phone only, from a call an agent logged."""
    client.force_login(agent)
    response = client.post(
        "/agent/calls/new/",
        {"name": "Nagy István", "phone": ISTVAN_PHONE, "language": "hu", "body": "My internet is down."},
    )
    assert response.status_code == 302
    client.logout()
    return Customer.objects.get(phone=ISTVAN_PHONE)


@pytest.fixture
def katalin(client, agent, queue):
    """A customer with an email and a phone, from a call an agent logged."""
    client.force_login(agent)
    response = client.post(
        "/agent/calls/new/",
        {
            "name": "Katalin Szabó",
            "phone": "+36 30 123 4567",
            "email": "katalin@example.hu",
            "language": "en",
            "body": "My bill is twice the usual amount.",
        },
    )
    assert response.status_code == 302
    client.logout()
    return Customer.objects.get(email="katalin@example.hu")


@pytest.fixture
def nameless(client, agent, queue):
    """A customer we know only by email (an agent took it down without a name)."""
    client.force_login(agent)
    response = client.post(
        "/agent/calls/new/", {"email": "quiet@example.hu", "language": "en", "body": "Call me back."}
    )
    assert response.status_code == 302
    client.logout()
    return Customer.objects.get(email="quiet@example.hu")


def send_form(client, **fields):
    return client.post("/tickets/new/", {**FORM, **fields}, REMOTE_ADDR="198.51.100.66")


def acknowledgement_to(address):
    """The acknowledgement of the web form's request sent to this address."""
    return Notification.objects.get(
        kind=Notification.Kind.ACKNOWLEDGEMENT, to_email=address, ticket__channel="web"
    )


# --- the web form ----------------------------------------------------------------------------


def test_a_phone_only_customers_number_on_the_web_form_does_not_take_the_customer_over(client, istvan):
    response = send_form(client)

    assert response.status_code == 302
    istvan.refresh_from_db()
    assert istvan.email == ""
    assert istvan.name == "Nagy István"
    ticket = Ticket.objects.get(channel="web")
    assert ticket.customer_id != istvan.pk
    assert ticket.customer.email == ATTACKER
    assert istvan.tickets.count() == 1
    # The acknowledgement goes to the address typed, and names only what was typed.
    assert acknowledgement_to(ATTACKER).ticket == ticket
    assert Notification.objects.filter(customer=istvan).count() == 0


def test_the_victims_reference_with_the_strangers_address_finds_nothing(client, istvan):
    send_form(client)
    victims_ticket = Ticket.objects.get(channel="phone")
    links_before = victims_ticket.status_links.count()

    response = client.post(
        "/status/", {"reference": victims_ticket.reference, "email": ATTACKER}, REMOTE_ADDR="198.51.100.66"
    )

    assert response.status_code == 200
    assert "Location" not in response
    # A lookup that found the request would have drawn a link to it.
    assert victims_ticket.status_links.count() == links_before


def test_email_me_my_links_never_sends_the_victims_links_to_the_stranger(client, istvan):
    send_form(client)
    victims_ticket = Ticket.objects.get(channel="phone")
    client.post("/status/links/", {"links-email": ATTACKER}, REMOTE_ADDR="198.51.100.66")

    tasks.send_status_links(ATTACKER)

    links = Notification.objects.get(kind=Notification.Kind.STATUS_LINKS)
    assert links.to_email == ATTACKER
    assert victims_ticket.reference not in links.body_text
    sent_tokens = re.findall(r"/status/([^/\s]+)/", links.body_text)
    assert sent_tokens  # the stranger's own request
    assert not any(
        Ticket.objects.with_status_token(token).filter(pk=victims_ticket.pk) for token in sent_tokens
    )


def test_a_known_customers_phone_with_another_email_makes_a_separate_customer(client, katalin):
    response = send_form(client, name="Someone", phone="+36 30 123 4567", email="someone@example.com")

    assert response.status_code == 302
    ticket = Ticket.objects.get(channel="web")
    assert ticket.customer_id != katalin.pk
    assert katalin.tickets.count() == 1
    done = client.get(response["Location"])
    assert "katalin@example.hu" not in done.text
    assert "Katalin" not in done.text


def test_a_known_email_attaches_the_request_but_what_was_typed_changes_nothing(client, nameless):
    response = send_form(client, name="Mallory", email="QUIET@example.hu", phone="+36 30 999 8877")

    assert response.status_code == 302
    ticket = Ticket.objects.get(channel="web")
    assert ticket.customer_id == nameless.pk
    nameless.refresh_from_db()
    assert (nameless.name, nameless.phone, nameless.email) == ("", "", "quiet@example.hu")
    assert ticket.requester_name == "Mallory"
    # The confirmation page prints nothing the sender did not type: not the stored address.
    done = client.get(response["Location"])
    assert "quiet@example.hu" not in done.text
    # The acknowledgement goes to the address on record, greeting with the name given this time.
    assert "Mallory" in acknowledgement_to("quiet@example.hu").body_text


def test_the_acknowledgement_uses_the_name_typed_for_that_request(client, katalin):
    send_form(client, name="Kati", email="katalin@example.hu", phone="")

    katalin.refresh_from_db()
    assert katalin.name == "Katalin Szabó"
    body = acknowledgement_to("katalin@example.hu").body_text
    assert "Kedves Kati!" in body
    assert "Katalin Szabó" not in body


def test_agents_see_the_name_the_sender_gave(client, katalin, agent):
    send_form(client, name="Kati", email="katalin@example.hu", phone="")
    ticket = Ticket.objects.get(channel="web")

    client.force_login(agent)
    response = client.get(reverse("helpdesk:ticket-detail", args=[ticket.reference]))

    assert response.status_code == 200
    assert "Kati" in response.text
    assert "Katalin Szabó" in response.text


def test_the_agents_list_shows_the_name_given_for_that_request(client, katalin, agent):
    send_form(client, name="Kovács Péter", email="katalin@example.hu", phone="")
    ticket = Ticket.objects.get(channel="web")

    client.force_login(agent)
    response = client.get(reverse("helpdesk:agent-home"))

    row = re.search(rf'data-reference="{ticket.reference}".*?</tr>', response.text, re.S).group(0)
    assert "Kovács Péter" in row
    katalin.refresh_from_db()
    assert katalin.name == "Katalin Szabó"


# --- the API ---------------------------------------------------------------------------------


@pytest.fixture
def web_shop(queue):
    return ApiIntegration.objects.create_with_token(name="Web shop")


def api_post(client, token, **fields):
    body = {
        "name": "Nagy István",
        "email": ATTACKER,
        "phone": ISTVAN_PHONE,
        "description": "Refund me.",
        **fields,
    }
    return client.post(
        "/api/tickets/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_the_api_never_matches_a_customer_by_phone(client, istvan, web_shop):
    _integration, token = web_shop

    response = api_post(client, token)

    assert response.status_code == 201
    istvan.refresh_from_db()
    assert istvan.email == ""
    assert istvan.tickets.count() == 1
    assert Ticket.objects.get(channel="api").customer.email == ATTACKER


def test_a_phone_only_api_request_is_a_new_customer_of_its_own(client, istvan, web_shop):
    _integration, token = web_shop

    response = api_post(client, token, email="", name="Somebody")

    assert response.status_code == 201
    ticket = Ticket.objects.get(channel="api")
    assert ticket.customer_id != istvan.pk
    istvan.refresh_from_db()
    assert istvan.name == "Nagy István"


def test_the_api_with_a_known_email_changes_nothing_on_the_record(client, nameless, web_shop):
    _integration, token = web_shop

    response = api_post(client, token, email="quiet@example.hu", name="Mallory")

    assert response.status_code == 201
    nameless.refresh_from_db()
    assert (nameless.name, nameless.phone) == ("", "")
    assert Ticket.objects.get(channel="api").customer_id == nameless.pk


# --- email and chat --------------------------------------------------------------------------


def test_an_email_from_a_known_address_changes_nothing_on_the_record(nameless, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    message = Path(tmp_path, "mail.eml")
    message.write_bytes(
        b"From: Mallory <quiet@example.hu>\r\nTo: help@helpdesk.example\r\nSubject: Hello\r\n"
        b"Message-ID: <one@example.hu>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCall me.\r\n"
    )

    call_command("ingest_email", str(message), stdout=io.StringIO())

    ticket = Ticket.objects.get(channel="email")
    assert ticket.customer_id == nameless.pk
    assert ticket.requester_name == "Mallory"
    nameless.refresh_from_db()
    assert nameless.name == ""


def test_a_chat_from_a_known_address_changes_nothing_on_the_record(client, nameless):
    response = client.post(
        reverse("helpdesk:chat-start"),
        {"name": "Mallory", "email": "quiet@example.hu", "message": "Hello?"},
    )

    assert response.status_code == 302
    nameless.refresh_from_db()
    assert nameless.name == ""
    assert Ticket.objects.get(channel="chat").requester_name == "Mallory"


def test_i_am_affected_from_a_known_address_changes_nothing_on_the_record(
    client, nameless, manager, category
):
    incident = Incident.declare(
        title="Card payments failing",
        statement={"en": "Card payments fail.", "hu": "Nem működik a kártyás fizetés.", "pl": "Płatności."},
        by=manager,
        categories=[category],
    )

    response = client.post(
        f"/crisis/report/{incident.pk}/",
        {"name": "Mallory", "email": "quiet@example.hu", "language": "en", "details": ""},
        REMOTE_ADDR="198.51.100.66",
    )

    assert response.status_code == 302
    nameless.refresh_from_db()
    assert nameless.name == ""
    assert "quiet@example.hu" not in client.get(response["Location"]).text


# --- verified channels still match by phone --------------------------------------------------


def test_an_agent_logging_a_call_finds_the_customer_by_phone(client, agent, istvan):
    client.force_login(agent)

    response = client.post(
        "/agent/calls/new/",
        {
            "name": "",
            "phone": "06 30 111 2233",
            "email": "istvan@example.hu",
            "language": "hu",
            "body": "Again.",
        },
    )

    assert response.status_code == 302
    istvan.refresh_from_db()
    assert istvan.tickets.count() == 2
    # The agent spoke to him: the address he gave on the phone is his.
    assert istvan.email == "istvan@example.hu"
