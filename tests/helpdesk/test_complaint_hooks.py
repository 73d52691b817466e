"""Other apps hear of complaints after commit, by id, without the helpdesk importing them."""

import pytest
from django.db import transaction

from helpdesk import hooks


@pytest.fixture
def heard(hooked):
    ids = []

    def listener(ticket_id):
        ids.append(ticket_id)

    hooked(hooks.COMPLAINT_ARRIVED, listener)
    hooks.COMPLAINT_ARRIVED.add(listener)  # twice: still heard once
    return ids


def test_a_received_complaint_is_announced_once_after_commit(
    make_ticket, complaint_category, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(category=complaint_category)
        assert heard == []
    assert heard == [ticket.pk]


def test_other_requests_are_not_announced(make_ticket, category, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(category=category)
    assert heard == []


def test_a_rolled_back_mark_announces_nothing(make_ticket, agent, heard, django_capture_on_commit_callbacks):
    ticket = make_ticket()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ticket.mark_as_complaint(by=agent)
        transaction.set_rollback(True)
    assert heard == []
    ticket.refresh_from_db()
    assert not ticket.is_complaint
