"""Closed requests' personal data is anonymised once RETENTION_CLOSED_TICKET_YEARS have passed since
they closed, as an erasure would, but request by request: the customer and their open requests
keep everything."""

import datetime as dt

import time_machine

from feedback.models import Survey
from helpdesk.models import Customer, Ticket
from helpdesk.personal_data import retention

CLOSED_LONG_AGO = dt.datetime(2022, 3, 1, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)


def test_a_request_closed_years_ago_is_anonymised_and_her_open_one_is_not(make_ticket, agent):
    with time_machine.travel(CLOSED_LONG_AGO, tick=False):
        old = make_ticket(subject="Katalin Szabó: charged twice", body="Call me on +36 30 123 4567.")
        old.add_note(by=agent, body="Katalin sounded upset.")
        old.resolve(by=agent)
        survey = Survey.objects.create(
            ticket=old, customer=old.customer, language="hu", status=Survey.Status.SENT
        )
        survey.answer(rating=2, solved=True, comment="Katalin Szabó was kept waiting.")
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        current = make_ticket(subject="Meter reading, Katalin Szabó", body="My reading is 1234.")

    with time_machine.travel(NOW, tick=False):
        listed = retention.due()["closed_ticket"]
        removed = retention.enforce()["closed_ticket"]
        again = retention.enforce()["closed_ticket"]

    assert listed == removed == [old.pk]
    assert again == []
    old.refresh_from_db()
    assert old.subject == Ticket.ERASED_SUBJECT
    assert set(old.entries.values_list("body", flat=True)) == {""}
    survey.refresh_from_db()
    assert survey.comment == ""
    assert survey.rating == 2  # the figures stay
    current.refresh_from_db()
    assert current.subject == "Meter reading, Katalin Szabó"
    assert current.entries.get(kind="message").body == "My reading is 1234."
    assert Customer.objects.get(pk=current.customer_id).name == "Katalin Szabó"


def test_an_erased_customers_requests_are_not_anonymised_again(make_ticket, agent):
    from helpdesk.personal_data.erasure import erase_customer

    with time_machine.travel(CLOSED_LONG_AGO, tick=False):
        old = make_ticket()
        old.resolve(by=agent)
    erase_customer(old.customer)

    with time_machine.travel(NOW, tick=False):
        assert retention.due()["closed_ticket"] == []
