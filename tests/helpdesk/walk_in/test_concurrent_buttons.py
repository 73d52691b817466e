"""Two agents press the same walk-in button at the same moment: one change, recorded once.

A waiting visitor can be sent on by any agent (the front desk put them in the wrong line), so two
agents may send the same visitor at once; a visitor at a desk can be finished while someone marks
them as a no-show. Each visit's change is conditional on the state it leaves.
"""

import pytest
from django.db import connection

from helpdesk.models import TicketEntry, Visit
from tests.security.together import ROUNDS, post_at_once, signed_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_agents_sending_a_visitor_on_at_once_move_them_once(check_in, agent, other_agent, line_b, roles):
    for _ in range(ROUNDS):
        visit = check_in()
        path = f"/agent/walk-in/visits/{visit.pk}/transfer/"

        first, second = post_at_once(
            (signed_in(agent), path, {"service": line_b.pk}),
            (signed_in(other_agent), path, {"service": line_b.pk}),
        )

        assert (first.status_code, second.status_code) == (200, 200)
        visit.refresh_from_db()
        assert visit.service == line_b
        assert visit.ticket.entries.filter(event=TicketEntry.Event.WALK_IN_TRANSFERRED).count() == 1


def test_finish_and_no_show_at_once_end_the_visit_once(check_in, desk, agent, roles):
    from helpdesk.walk_in import visits

    for _ in range(ROUNDS):
        check_in()
        visit = visits.call_next(desk, agent=agent)
        visit.recall(by=agent)
        base = f"/agent/walk-in/visits/{visit.pk}"
        client = signed_in(agent)

        post_at_once((client, f"{base}/finish/", {"solved": "on"}), (client, f"{base}/no-show/", {}))

        visit.refresh_from_db()
        entries = visit.ticket.entries
        no_shows = entries.filter(event=TicketEntry.Event.WALK_IN_NO_SHOW).count()
        assert visit.state in (Visit.State.SERVED, Visit.State.NO_SHOW)
        assert no_shows == (1 if visit.state == Visit.State.NO_SHOW else 0)
        assert entries.filter(event=TicketEntry.Event.STATUS_CHANGED).count() == 1
