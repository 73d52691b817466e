"""/status/: a customer finds their request by reference and email, or has its links emailed,
without anyone learning which references exist or whose addresses we know."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_q.models import OrmQ

from helpdesk import status_access, tasks
from helpdesk.models import Customer, Notification, RateLimit, Ticket

BUDAPEST = ZoneInfo("Europe/Budapest")
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=BUDAPEST)
IP = "203.0.113.7"
NOT_FOUND = "We could not find a request with this reference and email address."


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def katalins(make_ticket):
    return make_ticket(email="katalin@example.hu", language="en")


def look_up(client, reference, email, ip=IP):
    return client.post(
        "/status/", {"reference": reference, "email": email}, REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en"
    )


def ask_for_links(client, email, ip=IP):
    return client.post("/status/links/", {"links-email": email}, REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en")


def attempts(name: str, key: str = IP) -> int:
    """Attempts counted under a limit for one sender (see helpdesk.rate_limits)."""
    row = RateLimit.objects.filter(name=name, key=key).first()
    return len(row.attempts) if row else 0


def without_csrf_tokens(body: bytes) -> bytes:
    """Every response carries a freshly masked CSRF token (two views of one page differ in it)."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b'name="csrfmiddlewaretoken" value=""', body)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b'"X-CSRFToken": ""', body)


def query_shapes(queries) -> list[str]:
    """The SQL of each query with its literal values (and savepoint names) taken out."""
    return [re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", query["sql"]) for query in queries]


# --- finding a request ------------------------------------------------------------------------


def test_the_lookup_page_asks_for_reference_and_email_and_keeps_the_link_private(client, queue):
    response = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert 'name="reference"' in response.text
    assert 'name="email"' in response.text
    assert 'name="links-email"' in response.text
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_reference_and_email_lead_to_the_status_page(client, katalins):
    # Typed on a phone: lower case, a space instead of the dash, the address in capitals.
    typed = katalins.reference.lower().replace("-", " ")

    response = look_up(client, typed, "  KATALIN@example.hu ")

    assert response.status_code == 302
    # A link drawn for this visit (only hashes of links are stored), opening Katalin's request.
    assert response["Location"] != f"/status/{katalins.status_token}/"
    assert katalins.reference in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").text
    assert response["Referrer-Policy"] == "no-referrer"
    assert attempts("status-lookup-ip") == 1


def test_a_reference_that_cannot_be_ours_is_explained_and_what_was_typed_stays(client, katalins):
    response = look_up(client, "K7MX-4R9", "katalin@example.hu")

    assert response.status_code == 200
    assert "This does not look like one of our references." in response.text
    assert 'value="K7MX-4R9"' in response.text
    assert 'value="katalin@example.hu"' in response.text
    assert not RateLimit.objects.exists()  # a typo in the form costs no attempt


def test_wrong_reference_and_wrong_email_give_the_same_answer_byte_for_byte(client, katalins, monkeypatch):
    """The same typed details, once with only the address wrong, once with only the reference wrong."""
    hashed = []
    real_address_key = status_access.address_key
    monkeypatch.setattr(
        status_access, "address_key", lambda email: hashed.append(1) or real_address_key(email)
    )
    typed = ("ACDE-FGHJ", "eve@example.com")
    Ticket.objects.filter(pk=katalins.pk).update(reference="ACDE-FGHJ")

    with CaptureQueriesContext(connection) as wrong_email_queries:
        wrong_email = look_up(client, *typed)
    wrong_email_hashes = len(hashed)
    # Now the address is right (Eve has a request) and the reference is not hers.
    Ticket.objects.filter(pk=katalins.pk).update(reference="ACDE-FGHK")
    Customer.objects.filter(pk=katalins.customer_id).update(email="eve@example.com")
    with CaptureQueriesContext(connection) as wrong_reference_queries:
        wrong_reference = look_up(client, *typed)

    assert wrong_email.status_code == wrong_reference.status_code == 200
    assert NOT_FOUND in wrong_email.text
    assert without_csrf_tokens(wrong_email.content) == without_csrf_tokens(wrong_reference.content)
    assert query_shapes(wrong_email_queries) == query_shapes(wrong_reference_queries)
    assert wrong_email_hashes == len(hashed) - wrong_email_hashes == 2


def test_right_reference_with_wrong_email_answers_as_wrong_reference_with_right_email(client, katalins):
    with CaptureQueriesContext(connection) as first_queries:
        wrong_email = look_up(client, katalins.reference, "eve@example.com")
    with CaptureQueriesContext(connection) as second_queries:
        wrong_reference = look_up(client, "ACDE-FGHJ", "katalin@example.hu")

    def neutral(response, reference, email):
        return (
            without_csrf_tokens(response.content)
            .replace(reference.encode(), b"R")
            .replace(email.encode(), b"E")
        )

    assert wrong_email.status_code == wrong_reference.status_code == 200
    # Apart from the customer's own typing, which the form keeps, the answers are the same.
    assert neutral(wrong_email, katalins.reference, "eve@example.com") == neutral(
        wrong_reference, "ACDE-FGHJ", "katalin@example.hu"
    )
    # The attempt counted (savepoint, insert or lock, read, write, release), then the ticket.
    assert len(first_queries) == len(second_queries) == 6


def test_lookups_are_limited_per_address_with_a_polite_429(client, katalins, settings, monday_morning):
    settings.STATUS_LOOKUP_LIMIT_PER_IP = 3
    for _attempt in range(3):
        assert look_up(client, "ACDE-FGHJ", "katalin@example.hu").status_code == 200

    refused = look_up(client, katalins.reference, "katalin@example.hu")

    assert refused.status_code == 429
    assert "Thank you for your patience" in refused.text
    assert "Please try again after 09:15." in refused.text
    assert f'value="{katalins.reference}"' in refused.text
    assert attempts("status-lookup-ip") == 3
    # Another connection is not held up, and after the window the first may try again.
    assert look_up(client, katalins.reference, "katalin@example.hu", ip="198.51.100.1").status_code == 302
    monday_morning.shift(timedelta(minutes=15, seconds=1))
    assert look_up(client, katalins.reference, "katalin@example.hu").status_code == 302


def test_the_worker_forgets_old_attempts(db, monday_morning):
    RateLimit.objects.create(
        name="status-lookup-ip", key=IP, last_attempt_at=MONDAY_MORNING - timedelta(days=2)
    )
    RateLimit.objects.create(
        name="status-links-ip", key=IP, last_attempt_at=MONDAY_MORNING - timedelta(hours=2)
    )

    assert tasks.forget_old_attempts() == "1 deleted"
    assert RateLimit.objects.get().name == "status-links-ip"


def test_the_lookup_needs_the_csrf_token(katalins):
    strict = Client(enforce_csrf_checks=True)

    assert (
        strict.post("/status/", {"reference": katalins.reference, "email": "katalin@example.hu"}).status_code
        == 403
    )
    assert not RateLimit.objects.exists()


# --- status links by email ----------------------------------------------------------------------


def test_asking_for_links_answers_the_same_for_a_known_and_an_unknown_address(client, katalins):
    with CaptureQueriesContext(connection) as known_queries:
        known = ask_for_links(client, "katalin@example.hu")
    known_page = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en").content
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown = ask_for_links(client, "stranger@example.com")
    unknown_page = client.get("/status/", HTTP_ACCEPT_LANGUAGE="en").content

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/status/"
    assert known.content == unknown.content
    assert query_shapes(known_queries) == query_shapes(unknown_queries)
    assert b"If we have open or recent requests for katalin@example.hu, their links" in known_page
    assert without_csrf_tokens(known_page).replace(b"katalin@example.hu", b"E") == without_csrf_tokens(
        unknown_page
    ).replace(b"stranger@example.com", b"E")
    # Nothing is written in the request itself: the worker looks the address up.
    assert not Notification.objects.exists()
    assert attempts("status-links-ip") == 2
    assert "katalin@example.hu" not in str(list(RateLimit.objects.values_list("key", flat=True)))


def test_the_request_is_handed_to_the_worker_after_commit(
    client, katalins, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_links(client, "katalin@example.hu")

    assert OrmQ.objects.count() == 1


def test_the_worker_emails_open_and_recent_links_in_the_customers_language(
    client, make_ticket, agent, monday_morning
):
    open_one = make_ticket(email="katalin@example.hu", language="hu", subject="Charged twice")
    recently_closed = make_ticket(email="katalin@example.hu", subject="Wrong address on the bill")
    long_closed = make_ticket(email="katalin@example.hu", subject="Old router")
    long_closed.resolve(by=agent, at=MONDAY_MORNING - timedelta(days=40))
    recently_closed.resolve(by=agent)
    someone_elses = make_ticket(email="peter@example.pl")

    result = tasks.send_status_links("KATALIN@example.hu")

    notification = Notification.objects.get()
    assert result == "2 link(s)"
    assert (notification.kind, notification.to_email, notification.language) == (
        "status_links",
        "katalin@example.hu",
        "hu",
    )
    # Links drawn for this message, which open exactly the open and the recently closed request.
    links = re.findall(r"/status/[^/\s]+/", notification.body_text)
    assert links == re.findall(r"/status/[^/\s\"]+/", notification.body_html)
    opened = [client.get(link).context["ticket"] for link in links]
    assert sorted(ticket.pk for ticket in opened) == sorted([open_one.pk, recently_closed.pk])
    assert not {ticket.status_token for ticket in (open_one, long_closed, someone_elses)} & set(links)
    assert "2026. november 23." in notification.body_text  # written in Hungarian
    # The customer's own words are not repeated: someone else may have typed them with this address.
    assert "Charged twice" not in notification.body_text


def test_the_worker_sends_nothing_to_an_unknown_address(db):
    assert tasks.send_status_links("stranger@example.com") == "unknown address"
    assert not Notification.objects.exists()


def test_links_are_limited_per_connection_and_per_address(client, katalins, settings):
    settings.STATUS_LINKS_LIMIT_PER_IP = 5
    settings.STATUS_LINKS_LIMIT_PER_EMAIL = 2
    assert ask_for_links(client, "katalin@example.hu").status_code == 302
    assert ask_for_links(client, "katalin@example.hu", ip="198.51.100.1").status_code == 302

    refused = ask_for_links(client, "katalin@example.hu", ip="192.0.2.9")

    assert refused.status_code == 429
    assert "Thank you for your patience" in refused.text
    assert 'value="katalin@example.hu"' in refused.text
    for index in range(4):  # the first counted too: five from this connection
        assert ask_for_links(client, f"someone{index}@example.com").status_code == 302
    assert ask_for_links(client, "someone-else@example.com").status_code == 429


def test_an_invalid_address_is_explained(client, queue):
    response = ask_for_links(client, "katalin at example")

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert 'value="katalin at example"' in response.text
    assert not RateLimit.objects.exists()
