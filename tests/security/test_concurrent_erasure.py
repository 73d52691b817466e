"""Two managers confirm the same erasure at the same moment, or one confirms while another
cancels: one outcome, and the one who comes second is told it was already decided."""

import pytest
from django.db import connection

from helpdesk.models import Customer, ErasureRequest
from helpdesk.roles import AGENTS, MANAGERS
from tests.factories import UserFactory
from tests.security.together import ROUNDS, page_text, post_at_once, signed_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

ALREADY = "This erasure was already confirmed or cancelled."


@pytest.fixture
def third_manager(roles):
    return UserFactory(username="piotr", first_name="Piotr", roles=[AGENTS, MANAGERS])


def test_two_confirmations_at_once_erase_once(make_ticket, manager, second_manager, third_manager):
    zofia, piotr = signed_in(second_manager), signed_in(third_manager)
    for round_ in range(ROUNDS):
        customer = make_ticket(email=f"customer{round_}@example.hu").customer
        erasure = ErasureRequest.ask(customer, by=manager)
        path = f"/agent/erasures/{erasure.pk}/confirm/"

        responses = post_at_once((zofia, path, {}), (piotr, path, {}))

        assert [response.status_code for response in responses] == [200, 200]
        erasure.refresh_from_db()
        assert erasure.state == "confirmed"
        assert Customer.objects.get(pk=customer.pk).erased_at is not None
        assert [ALREADY in page_text(response) for response in responses].count(True) == 1


def test_a_confirmation_and_a_cancellation_at_once_have_one_outcome(
    make_ticket, manager, second_manager, third_manager
):
    zofia, piotr = signed_in(second_manager), signed_in(third_manager)
    for round_ in range(ROUNDS):
        customer = make_ticket(email=f"customer{round_}@example.hu").customer
        erasure = ErasureRequest.ask(customer, by=manager)

        responses = post_at_once(
            (zofia, f"/agent/erasures/{erasure.pk}/confirm/", {}),
            (piotr, f"/agent/erasures/{erasure.pk}/cancel/", {}),
        )

        erasure.refresh_from_db()
        erased = Customer.objects.get(pk=customer.pk).erased_at is not None
        assert erased == (erasure.state == "confirmed")
        assert [ALREADY in page_text(response) for response in responses].count(True) == 1
