from datetime import timedelta

import pytest

from feedback import complaints
from helpdesk import intake
from tests.factories import UserFactory


@pytest.fixture
def other_manager(roles):
    from helpdesk.roles import AGENTS, MANAGERS

    return UserFactory(
        username="zofia", first_name="Zofia", email="zofia@example.pl", roles=[AGENTS, MANAGERS]
    )


@pytest.fixture
def make_complaint(complaint_category):
    """A complaint through the real intake path, grouped as the worker would group it."""
    counter = iter(range(1, 10_000))

    def make(body, *, customer=None, subject="", channel="web", language="hu", group=True, **overrides):
        number = next(counter)
        customer = customer or f"customer{number}"
        ticket = intake.receive(
            channel=channel,
            subject=subject or body[:60],
            body=body,
            name=customer.title(),
            email=f"{customer}@example.hu",
            language=language,
            category=overrides.pop("category", complaint_category),
            acknowledge=False,
            **overrides,
        )
        if group:
            complaints.group_complaint(ticket.pk)
        return ticket

    return make


def days_ago(days):
    from django.utils import timezone

    return timezone.now() - timedelta(days=days)
