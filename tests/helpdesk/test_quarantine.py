"""Agents review quarantined email: turn it into a ticket, or discard it with a reason."""

import pytest

from helpdesk.models import InboundEmail, Ticket

RAW = (
    b"From: =?iso-8859-2?Q?Kov=E1cs_=C1d=E1m?= <adam@example.hu>\r\n"
    b"Subject: =?iso-8859-2?Q?Sz=E1mla?=\r\n"
    b"Message-ID: <q1@example.hu>\r\n"
    b"Content-Type: text/plain; charset=iso-8859-2\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n\r\n"
    b"A sz\xe1ml\xe1m hib\xe1s.\r\n"
)


@pytest.fixture
def quarantined(db):
    return InboundEmail.objects.create(
        dedupe_key="<q1@example.hu>",
        message_id="<q1@example.hu>",
        source="test.eml",
        from_address="adam@example.hu",
        subject="Számla",
        raw=RAW,
        outcome=InboundEmail.Outcome.QUARANTINED,
        reason="The message has no readable text.",
        review=InboundEmail.Review.PENDING,
    )


def test_agents_see_the_quarantine_with_reasons(client, agent, quarantined, django_assert_num_queries):
    client.force_login(agent)
    with django_assert_num_queries(4):  # session, the user with their roles, count, page
        response = client.get("/agent/mail/quarantine/")
    assert "The message has no readable text." in response.text
    assert "adam@example.hu" in response.text


def test_the_detail_shows_the_raw_message_and_a_prefilled_ticket_form(client, agent, quarantined):
    client.force_login(agent)
    response = client.get(f"/agent/mail/{quarantined.pk}/")
    assert "Message-ID: &lt;q1@example.hu&gt;" in response.text
    form = response.context["convert_form"]
    assert form.initial["email"] == "adam@example.hu"
    assert form.initial["name"] == "Kovács Ádám"
    assert "A számlám hibás." in form.initial["description"]


def test_an_agent_turns_a_quarantined_email_into_a_ticket(client, agent, quarantined, queue):
    client.force_login(agent)
    response = client.post(
        f"/agent/mail/{quarantined.pk}/convert/",
        {
            "name": "Kovács Ádám",
            "email": "adam@example.hu",
            "language": "hu",
            "subject": "Számla",
            "description": "A számlám hibás.",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/agent/tickets/{ticket.reference}/"
    quarantined.refresh_from_db()
    assert (quarantined.review, quarantined.ticket, quarantined.reviewed_by) == ("converted", ticket, agent)
    assert ticket.channel == "email"
    assert ticket.customer.language == "hu"


def test_a_rejected_conversion_keeps_what_was_typed(client, agent, quarantined):
    client.force_login(agent)
    response = client.post(
        f"/agent/mail/{quarantined.pk}/convert/", {"name": "Ádám", "email": "not-an-email"}
    )
    assert response.status_code == 400
    assert 'value="Ádám"' in response.text
    assert Ticket.objects.count() == 0


def test_discarding_needs_a_reason_and_keeps_the_message(client, agent, quarantined):
    client.force_login(agent)
    assert client.post(f"/agent/mail/{quarantined.pk}/discard/", {"note": ""}).status_code == 400

    client.post(f"/agent/mail/{quarantined.pk}/discard/", {"note": "Newsletter, not a request"})

    quarantined.refresh_from_db()
    assert (quarantined.review, quarantined.review_note) == ("discarded", "Newsletter, not a request")
    assert InboundEmail.objects.quarantined().count() == 0
    assert InboundEmail.objects.count() == 1


def test_a_message_is_dealt_with_only_once(client, agent, quarantined, queue):
    client.force_login(agent)
    client.post(f"/agent/mail/{quarantined.pk}/discard/", {"note": "Spam"})
    response = client.post(
        f"/agent/mail/{quarantined.pk}/convert/",
        {"email": "adam@example.hu", "language": "hu", "subject": "x", "description": "y"},
        follow=True,
    )
    assert "already been dealt with" in response.text
    assert Ticket.objects.count() == 0


def test_the_quarantine_is_for_staff_only(client, outsider, quarantined):
    assert client.get("/agent/mail/quarantine/").status_code == 302
    client.force_login(outsider)
    assert client.get(f"/agent/mail/{quarantined.pk}/").status_code == 403
    assert client.post(f"/agent/mail/{quarantined.pk}/discard/", {"note": "x"}).status_code == 403


def test_actions_are_posts(client, agent, quarantined):
    client.force_login(agent)
    assert client.get(f"/agent/mail/{quarantined.pk}/discard/").status_code == 405
    assert client.get(f"/agent/mail/{quarantined.pk}/convert/").status_code == 405


@pytest.fixture
def quarantined_without_address(db):
    """A message whose sender cannot be read; the text gives only a phone number."""
    raw = b"Subject: Szamla\r\nContent-Type: text/plain\r\n\r\nHibas a szamlam, hivjanak: +36 30 123 4567\r\n"
    return InboundEmail.objects.create(
        dedupe_key="<q2@example.hu>",
        source="test.eml",
        from_address="",
        subject="Szamla",
        raw=raw,
        outcome=InboundEmail.Outcome.QUARANTINED,
        reason="The message has no sender address.",
        review=InboundEmail.Review.PENDING,
    )


def test_a_quarantined_email_with_only_a_phone_number_becomes_a_ticket(
    client, agent, quarantined_without_address, queue
):
    client.force_login(agent)
    form = client.get(f"/agent/mail/{quarantined_without_address.pk}/").text
    assert 'name="phone"' in form

    response = client.post(
        f"/agent/mail/{quarantined_without_address.pk}/convert/",
        {
            "name": "Kovács Ádám",
            "email": "",
            "phone": "+36 30 123 4567",
            "language": "hu",
            "subject": "Számla",
            "description": "Hibás a számlám, hívjanak.",
        },
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.customer.phone, ticket.customer.email) == ("+36301234567", "")
    quarantined_without_address.refresh_from_db()
    assert quarantined_without_address.review == "converted"


def test_converting_needs_an_email_or_a_phone_number_and_keeps_what_was_typed(
    client, agent, quarantined_without_address, queue
):
    client.force_login(agent)

    response = client.post(
        f"/agent/mail/{quarantined_without_address.pk}/convert/",
        {"name": "Kovács Ádám", "language": "hu", "subject": "Számla", "description": "Hibás a számlám."},
    )

    assert response.status_code == 400
    assert (
        "Give the customer&#x27;s email address or phone number, so that we can answer them." in response.text
    )
    assert 'value="Kovács Ádám"' in response.text
    assert Ticket.objects.count() == 0
