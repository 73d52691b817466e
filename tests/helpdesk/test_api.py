"""The API for other systems: a web shop opens tickets for its customers and follows them."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from helpdesk.models import ApiIdempotencyKey, ApiIntegration, Notification, Ticket, TicketEntry

REQUEST = {
    "name": "Katalin Szabó",
    "email": "katalin@example.hu",
    "phone": "",
    "language": "hu",
    "subject": "Order 1042 arrived broken",
    "description": "The vase in order 1042 arrived in pieces.",
    "external_id": "order-1042",
}


@pytest.fixture
def web_shop(queue):
    return ApiIntegration.objects.create_with_token(name="Web shop")


@pytest.fixture
def social_tool(queue):
    return ApiIntegration.objects.create_with_token(name="Social inbox")


def post(client, token, body, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post("/api/tickets/", body, content_type="application/json", **headers)


def get(client, token, reference):
    return client.get(f"/api/tickets/{reference}/", HTTP_AUTHORIZATION=f"Bearer {token}")


# --- opening a ticket ------------------------------------------------------------------------


def test_an_integration_opens_a_ticket_and_the_customer_is_acknowledged(client, web_shop, settings):
    integration, token = web_shop

    response = post(client, token, REQUEST)

    assert response.status_code == 201
    body = response.json()
    ticket = Ticket.objects.get()
    assert body["reference"] == ticket.reference
    assert body["status_url"].startswith(f"{settings.SITE_URL}/status/")
    assert client.get(body["status_url"].removeprefix(settings.SITE_URL)).context["ticket"] == ticket
    assert body["status"] == "new"
    assert body["queue"] == "General"
    assert body["external_id"] == "order-1042"
    assert body["expected_first_response"] is not None
    assert [entry["kind"] for entry in body["timeline"]] == ["message"]
    assert (ticket.channel, ticket.integration, ticket.external_id) == ("api", integration, "order-1042")
    assert (ticket.customer.email, ticket.customer.language) == ("katalin@example.hu", "hu")
    assert ticket.entries.get(kind=TicketEntry.Kind.MESSAGE).body == REQUEST["description"]
    acknowledgement = Notification.objects.get(ticket=ticket)
    assert (acknowledgement.kind, acknowledgement.to_email) == ("acknowledgement", "katalin@example.hu")
    integration.refresh_from_db()
    assert integration.last_used_at is not None


def test_a_category_slug_routes_the_ticket(client, web_shop, category):
    response = post(client, web_shop[1], {**REQUEST, "category": "billing"})

    assert response.status_code == 201
    assert response.json()["category"] == "billing"
    assert Ticket.objects.get().category == category


def test_a_caller_known_only_by_phone_gets_a_ticket_without_an_email(client, web_shop):
    response = post(client, web_shop[1], {"phone": "+48 601 234 567", "description": "Call me back, please."})

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.customer.phone == "+48601234567"
    assert ticket.language == "en"
    assert ticket.subject == "Call me back, please."
    assert not Notification.objects.exists()


# --- 400: field by field, the same shape for every kind of mistake ---------------------------


def test_neither_email_nor_phone_is_refused_field_by_field(client, web_shop):
    response = post(client, web_shop[1], {**REQUEST, "email": "", "phone": ""})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"email", "phone"}
    assert "email address or a phone number" in errors["email"][0]
    assert not Ticket.objects.exists()


def test_an_unreadable_phone_number_is_explained(client, web_shop):
    response = post(client, web_shop[1], {**REQUEST, "phone": "call me maybe"})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["phone"] == ["Enter a phone number, with its country code if it is not Hungarian."]
    assert not Ticket.objects.exists()


def test_an_unknown_category_and_a_bad_email_are_both_reported(client, web_shop):
    response = post(
        client, web_shop[1], {**REQUEST, "category": "no-such", "email": "katalin@", "language": "de"}
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert set(body["errors"]) == {"category", "email", "language"}
    assert body["errors"]["category"] == ["There is no active category with this slug."]


def test_a_missing_description_is_required(client, web_shop):
    response = post(client, web_shop[1], {**REQUEST, "description": "  "})

    assert response.status_code == 400
    assert response.json()["errors"] == {"description": ["This field is required."]}


def test_a_wrong_type_has_the_same_error_shape(client, web_shop):
    response = post(client, web_shop[1], {**REQUEST, "email": 42})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["email"]


def test_a_body_that_is_not_json_gets_a_json_error(client, web_shop):
    response = client.post(
        "/api/tickets/",
        "name=Katalin",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {web_shop[1]}",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "__all__" in response.json()["errors"]


def test_errors_speak_the_clients_language(client, web_shop):
    english = post(client, web_shop[1], {**REQUEST, "email": "katalin@"}).json()["errors"]["email"]
    hungarian = post(client, web_shop[1], {**REQUEST, "email": "katalin@"}, HTTP_ACCEPT_LANGUAGE="hu").json()

    assert hungarian["errors"]["email"] != english


# --- 401, 403, 429 -----------------------------------------------------------------------------


def test_no_token_is_401(client, web_shop):
    response = post(client, None, REQUEST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Authorization" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_an_unknown_token_is_401(client, web_shop):
    response = post(client, web_shop[1] + "x", REQUEST)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_deactivated_integration_is_403(client, web_shop):
    integration, token = web_shop
    integration.deactivate()

    response = post(client, token, REQUEST)

    assert response.status_code == 403
    assert "deactivated" in response.json()["detail"]
    assert not Ticket.objects.exists()


def test_too_many_tickets_in_a_minute_is_429_until_the_minute_has_passed(
    client, web_shop, social_tool, settings
):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        post(client, web_shop[1], {**REQUEST, "external_id": "1"})
        traveller.shift(timedelta(seconds=20))
        post(client, web_shop[1], {**REQUEST, "external_id": "2"})

        refused = post(client, web_shop[1], {**REQUEST, "external_id": "3"})
        other_integration = post(client, social_tool[1], {**REQUEST, "external_id": "3"})
        traveller.shift(timedelta(seconds=41))
        later = post(client, web_shop[1], {**REQUEST, "external_id": "3"})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert refused.json()["detail"]
    assert other_integration.status_code == 201
    assert later.status_code == 201
    assert Ticket.objects.filter(integration=web_shop[0]).count() == 3


# --- idempotency -------------------------------------------------------------------------------


def test_a_retry_with_the_same_idempotency_key_returns_the_same_ticket(client, web_shop):
    request = {**REQUEST, "external_id": ""}
    first = post(client, web_shop[1], request, HTTP_IDEMPOTENCY_KEY="retry-7")
    second = post(client, web_shop[1], request, HTTP_IDEMPOTENCY_KEY="retry-7")
    another = post(client, web_shop[1], request, HTTP_IDEMPOTENCY_KEY="retry-8")

    assert (first.status_code, second.status_code, another.status_code) == (201, 200, 201)
    # The same ticket; its status link is drawn for each answer, and both work.
    assert {**second.json(), "status_url": ""} == {**first.json(), "status_url": ""}
    assert another.json()["reference"] != first.json()["reference"]
    assert Ticket.objects.count() == 2
    assert ApiIdempotencyKey.objects.get(key="retry-7").ticket.reference == first.json()["reference"]
    assert Notification.objects.count() == 2  # one acknowledgement per ticket; the retry sends none


def test_the_same_external_id_returns_the_same_ticket_but_only_for_that_integration(
    client, web_shop, social_tool
):
    first = post(client, web_shop[1], REQUEST)
    again = post(client, web_shop[1], {**REQUEST, "description": "Sent again by a retrying job."})
    elsewhere = post(client, social_tool[1], REQUEST)

    assert (first.status_code, again.status_code, elsewhere.status_code) == (201, 200, 201)
    assert again.json()["reference"] == first.json()["reference"]
    assert elsewhere.json()["reference"] != first.json()["reference"]
    assert Ticket.objects.count() == 2


def test_an_overlong_idempotency_key_is_refused(client, web_shop):
    response = post(client, web_shop[1], REQUEST, HTTP_IDEMPOTENCY_KEY="k" * 201)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["idempotency_key"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_the_same_moment_open_one_ticket(web_shop):
    barrier = threading.Barrier(2)
    responses = []

    def send():
        try:
            barrier.wait(timeout=10)
            responses.append(post(Client(), web_shop[1], REQUEST, HTTP_IDEMPOTENCY_KEY="double-click"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(response.status_code for response in responses) == [200, 201]
    assert len({response.json()["reference"] for response in responses}) == 1
    assert Ticket.objects.count() == 1


# --- following a ticket ------------------------------------------------------------------------


def test_an_integration_reads_its_own_ticket_with_the_public_timeline(client, web_shop, agent):
    reference = post(client, web_shop[1], REQUEST).json()["reference"]
    ticket = Ticket.objects.get(reference=reference)
    ticket.record(TicketEntry.Kind.NOTE, by=agent, body="Customer sounds upset; check the courier.")
    ticket.record(TicketEntry.Kind.REPLY, by=agent, body="We are sending a new vase today.", is_public=True)

    response = get(client, web_shop[1], reference.lower())

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == reference
    assert body["subject"] == "Order 1042 arrived broken"
    # Each answer carries a link of its own (only hashes are stored); all of them work.
    assert client.get(body["status_url"].split("127.0.0.1:8000")[1]).context["ticket"] == ticket
    assert [(entry["kind"], entry["body"]) for entry in body["timeline"]] == [
        ("message", REQUEST["description"]),
        ("reply", "We are sending a new vase today."),
    ]
    assert "courier" not in response.content.decode()


def test_another_integrations_ticket_is_not_found(client, web_shop, social_tool):
    reference = post(client, web_shop[1], REQUEST).json()["reference"]

    response = get(client, social_tool[1], reference)

    assert response.status_code == 404
    assert response.json()["detail"]


def test_an_unknown_reference_is_not_found(client, web_shop):
    response = get(client, web_shop[1], "nonsense")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_reading_needs_a_token(client, web_shop):
    reference = post(client, web_shop[1], REQUEST).json()["reference"]

    assert client.get(f"/api/tickets/{reference}/").status_code == 401


def test_the_ticket_list_cannot_be_read(client, web_shop):
    response = client.get("/api/tickets/", HTTP_AUTHORIZATION=f"Bearer {web_shop[1]}")
    assert response.status_code == 405


# --- the description ---------------------------------------------------------------------------


def test_the_openapi_description_lists_the_endpoints(client, db):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "post" in paths["/api/tickets/"]
    assert "get" in paths["/api/tickets/{reference}/"]
    assert "Idempotency-Key" in str(paths["/api/tickets/"]["post"]["parameters"])


def test_the_docs_page_loads_nothing_from_outside(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page
