"""Two agents resolve the same request at the same moment: one resolution, one email.

The review's reproduction: two agents pressed "Resolved" on the workspace together; the
timeline had two "resolved" events and the customer two emails (5 of 5 tries).
"""

import pytest
from django.db import connection

from helpdesk.models import Notification, Ticket, TicketEntry
from tests.security.together import ROUNDS, page_text, post_at_once, signed_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_agents_resolving_at_once_give_one_resolution_and_one_email(make_ticket, agent, other_agent):
    anna, bence = signed_in(agent), signed_in(other_agent)
    for round_ in range(ROUNDS):
        ticket = make_ticket(email=f"customer{round_}@example.hu")
        path = f"/agent/tickets/{ticket.reference}/status/"

        responses = post_at_once(
            (anna, path, {"status": "resolved", "message": "Refunded by Anna."}),
            (bence, path, {"status": "resolved", "message": "Refunded by Bence."}),
        )

        assert sorted(response.status_code for response in responses) == [200, 409]
        ticket.refresh_from_db()
        assert ticket.status == Ticket.Status.RESOLVED
        resolved = ticket.entries.filter(event=TicketEntry.Event.STATUS_CHANGED, data__to="resolved")
        assert resolved.count() == 1
        assert Notification.objects.filter(ticket=ticket).count() == 1
        loser = next(response for response in responses if response.status_code == 409)
        winner = resolved.get().author
        assert f"{winner.first_name} has already changed this request to “Resolved”." in page_text(loser)
