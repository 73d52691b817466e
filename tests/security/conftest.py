"""Personas and an incident for the security tests (the crisis tests' own, shared here)."""

import pytest

from crisis.models import Incident
from helpdesk.roles import AGENTS, MANAGERS
from tests.factories import UserFactory


@pytest.fixture
def second_manager(roles):
    return UserFactory(username="zofia", first_name="Zofia", roles=[AGENTS, MANAGERS])


@pytest.fixture
def third_manager(roles):
    return UserFactory(username="tamas", first_name="Tamás", roles=[AGENTS, MANAGERS])


@pytest.fixture
def incident(manager):
    return Incident.objects.create(
        title="Double charge on November bills", affected_service="Billing", declared_by=manager
    )
