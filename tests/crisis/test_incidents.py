"""Declaring an incident, its states and its timeline."""

import pytest

from crisis.models import Incident, IncidentEvent, IncidentUpdate
from helpdesk.models import InvalidTransition


def test_declaring_publishes_the_first_statement_at_once(incident, manager):
    acknowledgement = incident.updates.get()

    assert acknowledgement.kind == IncidentUpdate.Kind.ACKNOWLEDGEMENT
    assert acknowledgement.state == IncidentUpdate.State.PUBLISHED
    assert acknowledgement.published_at is not None
    assert acknowledgement.text_hu.startswith("Egyes ügyfeleinknél")
    assert list(incident.events.values_list("kind", flat=True)) == [
        IncidentEvent.Kind.DECLARED,
        IncidentEvent.Kind.UPDATE_PUBLISHED,
    ]


def test_every_transition_is_on_the_timeline(incident, manager):
    for state in ["investigating", "identified", "monitoring", "investigating"]:
        incident.move_to(state, by=manager, note=f"now {state}")

    moves = incident.events.filter(kind=IncidentEvent.Kind.STATE_CHANGED)
    assert [(event.state_before, event.state_after) for event in moves] == [
        ("declared", "investigating"),
        ("investigating", "identified"),
        ("identified", "monitoring"),
        ("monitoring", "investigating"),
    ]
    assert Incident.objects.get(pk=incident.pk).state == "investigating"


@pytest.mark.parametrize("state", ["resolved", "declared", "nonsense"])
def test_a_move_cannot_resolve_or_go_back_to_declared(incident, manager, state):
    with pytest.raises(InvalidTransition):
        incident.move_to(state, by=manager)


def test_moving_to_the_same_state_is_refused(incident, manager):
    incident.move_to("investigating", by=manager)

    with pytest.raises(InvalidTransition):
        incident.move_to("investigating", by=manager)


def test_several_incidents_can_be_active(make_incident):
    make_incident(title="Card payments failing")
    make_incident(title="Mobile app login")

    assert Incident.objects.active().count() == 2
