"""Erasure from the customer page: one manager asks, a different manager confirms."""

import pytest
from django.urls import reverse

from helpdesk.models import Customer, ErasureRequest
from tests.personal_data.conftest import NAME


@pytest.fixture
def katalin(make_ticket):
    return make_ticket().customer


def ask(client, customer):
    return client.post(reverse("helpdesk:customer-erasure-ask", args=[customer.pk]))


def confirm(client, erasure):
    return client.post(reverse("helpdesk:customer-erasure-confirm", args=[erasure.pk]))


def test_one_manager_asks_and_another_confirms_the_erasure(client, katalin, manager, second_manager):
    client.force_login(manager)
    assert ask(client, katalin).status_code == 302
    erasure = ErasureRequest.objects.get(customer=katalin, state="pending")
    page = client.get(reverse("helpdesk:customer-detail", args=[katalin.pk])).content.decode()
    assert "A second manager has to confirm it" in page
    assert reverse("helpdesk:customer-erasure-confirm", args=[erasure.pk]) not in page

    client.force_login(second_manager)
    page = client.get(reverse("helpdesk:customer-detail", args=[katalin.pk])).content.decode()
    assert reverse("helpdesk:customer-erasure-confirm", args=[erasure.pk]) in page
    response = confirm(client, erasure)

    assert response.status_code == 302
    katalin.refresh_from_db()
    assert katalin.erased_at is not None
    assert katalin.email == katalin.name == ""
    erasure.refresh_from_db()
    assert (erasure.state, erasure.decided_by, erasure.erased["requests"]) == ("confirmed", second_manager, 1)
    page = client.get(reverse("helpdesk:customer-detail", args=[katalin.pk])).content.decode()
    assert f"erased customer #{katalin.pk}" in page
    assert "katalin@example.hu" not in page


def test_a_manager_cannot_confirm_their_own_erasure(client, katalin, manager):
    client.force_login(manager)
    ask(client, katalin)
    erasure = ErasureRequest.objects.get()

    response = confirm(client, erasure)

    assert response.status_code == 302
    assert Customer.objects.get(pk=katalin.pk).erased_at is None
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages[-1:] == ["You asked for this erasure yourself: another manager has to confirm it."]


def test_a_confirmation_twice_erases_once(client, katalin, manager, second_manager):
    erasure = ErasureRequest.ask(katalin, by=manager)
    client.force_login(second_manager)
    confirm(client, erasure)
    erased_at = Customer.objects.get(pk=katalin.pk).erased_at

    response = confirm(client, erasure)

    assert [str(m) for m in response.wsgi_request._messages][-1:] == [
        "This erasure was already confirmed or cancelled."
    ]
    assert Customer.objects.get(pk=katalin.pk).erased_at == erased_at


def test_asking_twice_makes_one_pending_request(client, katalin, manager):
    client.force_login(manager)
    ask(client, katalin)
    ask(client, katalin)

    assert ErasureRequest.objects.pending().count() == 1


def test_agents_can_neither_ask_nor_confirm(client, katalin, agent, manager):
    erasure = ErasureRequest.ask(katalin, by=manager)
    client.force_login(agent)

    assert ask(client, katalin).status_code == 403
    assert confirm(client, erasure).status_code == 403
    assert client.post(reverse("helpdesk:customer-erasure-cancel", args=[erasure.pk])).status_code == 403
    page = client.get(reverse("helpdesk:customer-detail", args=[katalin.pk])).content.decode()
    assert 'data-testid="personal-data"' not in page
    assert Customer.objects.get(pk=katalin.pk).erased_at is None


def test_a_cancelled_erasure_cannot_be_confirmed(client, katalin, manager, second_manager):
    erasure = ErasureRequest.ask(katalin, by=manager)
    client.force_login(manager)
    client.post(reverse("helpdesk:customer-erasure-cancel", args=[erasure.pk]))
    client.force_login(second_manager)

    confirm(client, erasure)

    assert Customer.objects.get(pk=katalin.pk).erased_at is None


def test_erasing_from_the_page_leaves_no_trace_of_the_customer(
    client, every_channel, manager, second_manager
):
    from tests.personal_data.traces import traces_of

    erasure = ErasureRequest.ask(every_channel.customer, by=manager)
    client.force_login(second_manager)
    confirm(client, erasure)

    assert traces_of(NAME) == []


def test_the_wrong_method_is_refused(client, katalin, manager):
    client.force_login(manager)

    assert client.get(reverse("helpdesk:customer-erasure-ask", args=[katalin.pk])).status_code == 405


def test_a_customer_waiting_for_erasure_or_erased_is_not_merged(client, make_ticket, agent, manager):
    kept = make_ticket(email="istvan@example.hu").customer
    duplicate = make_ticket(email="nagy.istvan@example.hu").customer
    erasure = ErasureRequest.ask(duplicate, by=manager)
    client.force_login(agent)
    merge = reverse("helpdesk:customer-merge", args=[kept.pk])

    response = client.post(merge, {"duplicate": duplicate.pk}, follow=True)

    assert "waiting for a second manager" in response.text
    assert Customer.objects.filter(pk=duplicate.pk).exists()
    erasure.cancel(by=manager)
    from helpdesk.personal_data.erasure import erase_customer

    erase_customer(duplicate)
    response = client.post(merge, {"duplicate": duplicate.pk}, follow=True)

    assert "An erased customer cannot be merged" in response.text
    assert Customer.objects.filter(pk=duplicate.pk).exists()


def test_the_managers_customer_page_costs_one_query_more_whatever_the_requests(
    client, make_ticket, agent, manager, second_manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = make_ticket(email="few@example.hu").customer
    for number in range(30):
        make_ticket(email="many@example.hu", subject=f"Question {number}")
    many = Customer.objects.get(email="many@example.hu")
    ErasureRequest.ask(many, by=second_manager)

    def queries(user, customer):
        client.force_login(user)
        client.get(reverse("helpdesk:customer-detail", args=[customer.pk]))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("helpdesk:customer-detail", args=[customer.pk]))
        return len(captured)

    assert queries(manager, few) == queries(manager, many) == queries(agent, few) + 1
