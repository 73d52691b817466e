"""Fixtures of the compensation, briefing and report tests: a plain incident and a linked ticket."""

from decimal import Decimal

import pytest

from crisis.compensation.services import Offer
from crisis.models import GrantLimit, Incident, IncidentTicket


@pytest.fixture
def incident(manager):
    return Incident.objects.create(
        title="Double charge on November bills", affected_service="Billing", declared_by=manager
    )


@pytest.fixture
def affected(make_ticket, incident):
    """A ticket linked to the incident: the customer was charged twice."""
    ticket = make_ticket()
    IncidentTicket.objects.create(incident=incident, ticket=ticket, via=IncidentTicket.Via.AGENT)
    return ticket


@pytest.fixture
def agent_limit(agent, manager):
    """Anna may give a bill credit of up to 5,000 HUF on the spot."""
    return GrantLimit.objects.create(
        agent=agent, kind="bill_credit", currency="HUF", max_amount=Decimal(5000), set_by=manager
    )


def credit(amount, currency="HUF", justification="Charged twice for November.") -> Offer:
    return Offer(kind="bill_credit", amount=Decimal(amount), currency=currency, justification=justification)


@pytest.fixture(autouse=True)
def _fresh_banner_cache(db):
    # Overrides the crisis tests' cold start: these tests count what warm staff pages cost, and
    # their incidents are made directly, not declared, so the banner is not part of them.
    from django.core.cache import cache

    from crisis import banner

    cache.clear()
    banner.state()
    yield
    cache.clear()
