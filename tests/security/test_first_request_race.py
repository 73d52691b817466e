"""Simultaneous first requests from a new customer: every one a ticket of one customer, no 500.

Written from the security review's reproduction (point 5): a double submit of the web form
answered [500, 302], 15 at once 14 × 500, 10 API orders 9 × 500, and 4 `ingest_email` runs
quarantined 3 messages, all on the unique index of the customers' addresses.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from helpdesk.models import ApiIntegration, Customer, InboundEmail, Ticket
from tests.security.together import at_once

ROUNDS = 3
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent inserts need PostgreSQL"),
]


@pytest.fixture
def open_limits(settings):
    settings.WEB_FORM_LIMIT_PER_IP_PER_HOUR = 1000
    settings.WEB_FORM_LIMIT_PER_EMAIL_PER_HOUR = 1000
    settings.API_RATE_LIMIT_PER_MINUTE = 1000


def test_fifteen_web_form_submissions_at_once_are_fifteen_tickets_of_one_customer(queue, open_limits):
    for round_number in range(ROUNDS):
        email = f"new{round_number}@example.hu"

        def submit(index, email=email):
            response = Client(raise_request_exception=False).post(
                "/tickets/new/",
                {
                    "name": "Katalin Szabó",
                    "email": email,
                    "language": "hu",
                    "subject": f"Request {index}",
                    "description": "My bill was taken twice.",
                },
                REMOTE_ADDR=f"198.51.100.{index + 1}",
            )
            return response.status_code

        statuses = at_once(15, submit)

        assert statuses == [302] * 15
        assert Customer.objects.filter(email=email).count() == 1
        assert Ticket.objects.filter(customer__email=email).count() == 15


def test_ten_api_orders_at_once_are_ten_tickets_of_one_customer(queue, open_limits):
    _integration, token = ApiIntegration.objects.create_with_token(name="Web shop")
    for round_number in range(ROUNDS):
        email = f"shopper{round_number}@example.hu"

        def order(index, email=email, round_number=round_number):
            response = Client(raise_request_exception=False).post(
                "/api/tickets/",
                {
                    "name": "Marek Nowak",
                    "email": email,
                    "description": "The vase arrived broken.",
                    "external_id": f"order-{round_number}-{index}",
                },
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            return response.status_code

        statuses = at_once(10, order)

        assert statuses == [201] * 10
        assert Customer.objects.filter(email=email).count() == 1
        assert Ticket.objects.filter(customer__email=email).count() == 10


def test_four_ingest_email_runs_at_once_quarantine_nothing(queue, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    for round_number in range(ROUNDS):
        sender = f"writer{round_number}@example.pl"
        paths = []
        for index in range(4):
            path = Path(tmp_path, f"round{round_number}-{index}.eml")
            path.write_bytes(
                f"From: Anna Kowalska <{sender}>\r\nTo: help@helpdesk.example\r\n"
                f"Subject: Question {index}\r\nMessage-ID: <r{round_number}-{index}@example.pl>\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n\r\nWhen is my parcel coming?\r\n".encode()
            )
            paths.append(path)

        def ingest(index, paths=paths):
            out = io.StringIO()
            call_command("ingest_email", str(paths[index]), stdout=out)
            return out.getvalue()

        outputs = at_once(4, ingest)

        assert all(": created " in output for output in outputs), outputs
        assert not InboundEmail.objects.filter(outcome=InboundEmail.Outcome.QUARANTINED).exists()
        assert Customer.objects.filter(email=sender).count() == 1
        assert Ticket.objects.filter(customer__email=sender).count() == 4
