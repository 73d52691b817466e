"""The API answers bad input with its JSON error shape, never a 500 or an HTML page.

From the security review: a JSON string with a lone surrogate ("\\ud800") reached the database
driver (500), and a body over the size limit got Django's HTML error page.
"""

import json

import pytest

from helpdesk.models import ApiIntegration, Ticket

REQUEST = {
    "name": "Katalin Szabó",
    "email": "katalin@example.hu",
    "phone": "+36 30 123 4567",
    "language": "hu",
    "category": "",
    "subject": "Order 1042 arrived broken",
    "description": "The vase in order 1042 arrived in pieces.",
    "external_id": "order-1042",
}
STRING_FIELDS = ["name", "email", "phone", "language", "category", "subject", "description", "external_id"]
# Written out by hand: json.dumps cannot produce a lone surrogate from a Python string safely.
LONE_SURROGATE = "\\ud800"
NUL = "\\u0000"


@pytest.fixture
def token(queue):
    return ApiIntegration.objects.create_with_token(name="Web shop")[1]


def post_raw(client, token, body: bytes | str, **headers):
    return client.post(
        "/api/tickets/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **headers,
    )


def with_raw_value(field: str, escaped: str) -> str:
    """The request as JSON text, with `field` set to a string holding the escape sequence."""
    body = json.dumps({**REQUEST, field: "MARK"})
    return body.replace('"MARK"', f'"Order {escaped} 1042"')


def assert_json_error(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    return body


@pytest.mark.parametrize("field", STRING_FIELDS)
@pytest.mark.parametrize("escaped", [LONE_SURROGATE, NUL], ids=["lone-surrogate", "nul"])
def test_a_string_the_database_cannot_store_is_a_400_on_its_field(client, token, field, escaped):
    response = post_raw(client, token, with_raw_value(field, escaped))

    body = assert_json_error(response, 400)
    assert list(body["errors"]) == [field]
    assert "character" in body["errors"][field][0]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "value", ["key\x00one", "key\ud800one", "key\x07one"], ids=["nul", "surrogate", "bell"]
)
def test_an_idempotency_key_with_a_control_or_broken_character_is_a_400(client, token, value):
    response = post_raw(client, token, json.dumps(REQUEST), HTTP_IDEMPOTENCY_KEY=value)

    body = assert_json_error(response, 400)
    assert list(body["errors"]) == ["idempotency_key"]
    assert not Ticket.objects.exists()


def test_a_reference_with_a_nul_is_not_found(client, token):
    response = client.get("/api/tickets/AB%00CD/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert_json_error(response, 404)


def test_a_body_over_the_size_limit_is_a_413_in_json(client, token, settings):
    body = json.dumps({**REQUEST, "description": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    response = post_raw(client, token, body)

    answer = assert_json_error(response, 413)
    assert "MB" in answer["detail"]
    assert list(answer["errors"]) == ["__all__"]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "body", ['{"name": "Katalin",', "not json", b"\xff\xfe{}"], ids=["cut", "text", "bytes"]
)
def test_a_body_that_is_not_json_is_a_400_in_json(client, token, body):
    answer = assert_json_error(post_raw(client, token, body), 400)

    assert list(answer["errors"]) == ["__all__"]


@pytest.mark.parametrize("body", ["[1, 2]", '"a ticket"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_a_400_in_json(client, token, body):
    answer = assert_json_error(post_raw(client, token, body), 400)

    assert list(answer["errors"]) == ["__all__"]
    assert not Ticket.objects.exists()


def test_a_clean_request_still_opens_a_ticket(client, token):
    response = post_raw(client, token, json.dumps(REQUEST))

    assert response.status_code == 201
    assert Ticket.objects.get().external_id == "order-1042"
