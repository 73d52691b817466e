"""Beside the ticket and on the customer's page, agents see whether the customer opted out of
surveys (feedback's part of the helpdesk's customer panel)."""

import re
from datetime import UTC, datetime

from feedback.models import SurveyOptOut


def panel(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.split('data-testid="customer-panel"')[1]).split())


def test_a_customer_who_opted_out_of_surveys_shows_it_in_the_workspace(client, agent, make_ticket):
    ticket = make_ticket()
    SurveyOptOut.objects.create(
        customer=ticket.customer,
        via=SurveyOptOut.Via.PAGE,
        opted_out_at=datetime(2026, 2, 14, 9, 0, tzinfo=UTC),
    )
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{ticket.reference}/").text

    assert "Surveys opted out on 14/02/2026" in panel(page)


def test_a_customer_who_did_not_opt_out_receives_surveys(client, agent, make_ticket):
    ticket = make_ticket()
    client.force_login(agent)

    page = client.get(f"/agent/customers/{ticket.customer_id}/").text

    assert "receives follow-up surveys" in page
