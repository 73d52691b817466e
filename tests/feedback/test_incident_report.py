"""The post-incident report shows what the affected customers answered to their follow-up."""

import pytest

from crisis import hooks
from crisis.models import Incident
from feedback.models import Survey
from feedback.surveys import scheduling
from tests.feedback.conftest import MONDAY_10

pytestmark = pytest.mark.django_db


def report(client, incident) -> str:
    return client.get(f"/crisis/incidents/{incident.pk}/report/").content.decode()


def test_the_report_counts_the_affected_customers_answers(
    client, make_ticket, agent, manager, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(MONDAY_10, tick=False)
    tickets = [make_ticket(subject="No internet")]
    tickets.append(make_ticket(subject="Offline", email="piotr@example.pl", name="Piotr", language="pl"))
    for ticket in tickets:
        ticket.resolve(by=agent)
    incident = Incident.objects.create(title="Network outage", declared_by=manager)
    client.force_login(manager)
    assert 'data-testid="satisfaction-empty"' in report(client, incident)

    with django_capture_on_commit_callbacks(execute=True):
        hooks.INCIDENT_RESOLVED.call_on_commit(
            incident, type(tickets[0]).objects.filter(pk__in=[t.pk for t in tickets])
        )
    scheduling.send_due_surveys()
    assert 'data-testid="satisfaction-waiting"' in report(client, incident)

    first, second = Survey.objects.filter(incident=incident).order_by("pk")
    first.answer(rating=5, solved=True)
    second.answer(rating=2, solved=False, comment="Took too long.")

    page = report(client, incident)
    assert 'data-testid="satisfaction-rating">3.5<' in page
