"""The second approval on the pages: the thresholds page, the proposal page, the bulk decision."""

import pytest

from crisis.compensation import services
from crisis.models import CompensationProposal
from tests.crisis.compensation.conftest import credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(affected, incident, agent):
    return services.propose(ticket=affected, incident=incident, offer=credit(500000), by=agent)


def test_the_thresholds_page_shows_the_defaults(client, manager):
    client.force_login(manager)

    response = client.get("/crisis/compensation/thresholds/")

    assert response.status_code == 200
    assert "100\u00a0000 HUF" in response.text
    assert "None set yet: the defaults apply." in response.text


def test_the_proposal_page_says_two_managers_approve_and_who_did_first(
    client, large, manager, second_manager
):
    client.force_login(manager)
    page = client.get(f"/crisis/compensation/{large.pk}/")
    assert "two managers approve, neither of them the proposer" in page.text

    client.post(f"/crisis/compensation/{large.pk}/approve/")
    page = client.get(f"/crisis/compensation/{large.pk}/")

    assert "First approved by Marek" in page.text
    assert "You approved this: a second manager approves it." in page.text
    assert 'data-testid="decide-form"' not in page.text
    client.force_login(second_manager)
    assert 'data-testid="decide-form"' in client.get(f"/crisis/compensation/{large.pk}/").text


def test_a_bulk_approval_of_a_large_grant_is_a_first_approval(client, large, manager, second_manager):
    client.force_login(manager)
    data = {"proposals": [large.pk], "decision": "approve", "note": ""}

    client.post("/crisis/compensation/decide/", data)
    again = client.post("/crisis/compensation/decide/", data, follow=True)

    large.refresh_from_db()
    assert large.state == CompensationProposal.State.PENDING
    assert large.first_approved_by == manager
    assert "You approved this already" in again.text
    client.force_login(second_manager)
    client.post("/crisis/compensation/decide/", data)
    large.refresh_from_db()
    assert large.state == CompensationProposal.State.APPROVED
