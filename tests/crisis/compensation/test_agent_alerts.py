"""The agent who proposed a compensation is notified when a manager decides it."""

import pytest

from crisis.compensation import services
from helpdesk.models import AgentAlert
from tests.crisis.compensation.conftest import credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(affected, incident, agent):
    return services.propose(ticket=affected, incident=incident, offer=credit(20000), by=agent)


def test_the_proposer_is_notified_of_an_approval(pending, agent, manager, affected):
    pending.approve(by=manager)

    alert = AgentAlert.objects.get(recipient=agent, kind=AgentAlert.Kind.COMPENSATION_DECIDED)
    assert (alert.ticket, alert.actor, alert.data) == (affected, manager, {"approved": True})
    assert alert.text == "The compensation you proposed was approved."


def test_the_proposer_is_notified_of_a_rejection(pending, agent, manager):
    pending.reject(by=manager, note="Not eligible.")

    alert = AgentAlert.objects.get(recipient=agent, kind=AgentAlert.Kind.COMPENSATION_DECIDED)
    assert alert.text == "The compensation you proposed was rejected."


def test_a_grant_on_the_spot_notifies_nobody(affected, incident, agent, agent_limit):
    services.propose(ticket=affected, incident=incident, offer=credit(5000), by=agent)

    assert not AgentAlert.objects.filter(kind=AgentAlert.Kind.COMPENSATION_DECIDED).exists()
