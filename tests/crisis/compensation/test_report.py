"""The post-incident report: timeline, speed of acknowledgement, reports, updates, compensation."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis import hooks, reports
from crisis.compensation import services
from crisis.models import IncidentEvent, IncidentTicket
from tests.crisis.compensation.conftest import credit

pytestmark = pytest.mark.django_db
BUDAPEST = ZoneInfo("Europe/Budapest")
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=BUDAPEST)


@pytest.fixture
def linked(incident, make_ticket):
    def link(count, *, start=T0, channel="web"):
        tickets = []
        for n in range(count):
            with time_machine.travel(start + timedelta(minutes=25 * n), tick=False):
                ticket = make_ticket(email=f"r{channel}{n}@example.hu", channel=channel)
            IncidentTicket.objects.create(incident=incident, ticket=ticket, via="agent")
            tickets.append(ticket)
        return tickets

    return link


@pytest.fixture
def story(incident, linked, manager, agent, second_manager):
    """Reports from 09:00, declared at 09:40, two updates, compensation in every state."""
    type(incident).objects.filter(pk=incident.pk).update(declared_at=T0 + timedelta(minutes=40))
    incident.refresh_from_db()
    for minutes, kind in (
        (40, "declared"),
        (60, "update_published"),
        (120, "update_published"),
        (90, "state_changed"),
    ):
        IncidentEvent.objects.create(
            incident=incident, kind=kind, at=T0 + timedelta(minutes=minutes), actor=manager
        )
    web = linked(4)
    phone = linked(2, start=T0 + timedelta(hours=2), channel="phone")
    proposals = [
        services.propose(ticket=t, incident=incident, offer=credit(10000), by=agent) for t in web + phone
    ]
    proposals[0].approve(by=manager)
    proposals[1].approve(by=manager)
    proposals[1].fulfil(by=agent)
    proposals[2].reject(by=manager, note="Not eligible")
    return incident


def test_the_report_tells_the_story(client, manager, story):
    client.force_login(manager)

    response = client.get(f"/crisis/incidents/{story.pk}/report/")

    assert response.status_code == 200
    page = response.text
    assert "report.css" in page  # the printable stylesheet
    sections = {section.key: section.context for section in response.context["sections"]}
    assert sections["acknowledgement"]["delay"] == timedelta(minutes=40)
    assert "40 minutes" in page
    assert {row["channel"]: row["count"] for row in sections["reports"]["by_channel"]} == {
        "Web form": 4,
        "Phone": 2,
    }
    assert sections["updates"]["count"] == 2
    summary = dict(sections["compensation"]["summary"])
    assert (
        summary["Proposed"],
        summary["Approved"],
        summary["Rejected"],
        summary["Fulfilled"],
        summary["Still waiting"],
    ) == (6, 2, 1, 1, 3)
    rows = {(row["state"], row["currency"]): row["amount"] for row in sections["compensation"]["rows"]}
    assert rows[("pending", "HUF")] == 30000
    assert 'data-testid="satisfaction-empty"' in page


def test_the_hourly_chart_is_svg_drawn_on_the_server(client, manager, story):
    client.force_login(manager)

    page = client.get(f"/crisis/incidents/{story.pk}/report/").text

    assert 'data-testid="hourly-chart"' in page
    chart = reports.hourly_chart([{"hour": T0, "count": 3}, {"hour": T0 + timedelta(hours=2), "count": 1}])
    assert [bar.value for bar in chart.bars] == [3, 0, 1]  # the quiet hour is shown too
    assert chart.bars[0].height > chart.bars[2].height > chart.bars[1].height == 0


def test_acknowledging_before_any_report_is_said_plainly(client, manager, incident, linked):
    linked(1, start=incident.declared_at + timedelta(hours=1))
    client.force_login(manager)

    page = client.get(f"/crisis/incidents/{incident.pk}/report/").text

    assert "We spoke before the first customer reported it." in page


def test_another_app_fills_the_satisfaction_section(client, manager, incident, monkeypatch):
    def survey_results(incident):
        return reports.Section("satisfaction", "Satisfaction", "crisis/report/updates.html", {"count": 7})

    # A copy of the hook's entries: the feedback app's own section is there again for the next test.
    monkeypatch.setattr(hooks.REPORT_SECTIONS, "_entries", [*hooks.REPORT_SECTIONS.entries()])
    hooks.REPORT_SECTIONS.add(("satisfaction", survey_results))
    client.force_login(manager)
    page = client.get(f"/crisis/incidents/{incident.pk}/report/").text

    assert 'data-testid="satisfaction-empty"' not in page
    assert "7 public updates published." in page


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_costs_the_same_queries_for_few_and_many_reports(client, manager, agent, incident, linked):
    client.force_login(manager)
    url = f"/crisis/incidents/{incident.pk}/report/"
    tickets = linked(3)
    for ticket in tickets:
        services.propose(ticket=ticket, incident=incident, offer=credit(1000), by=agent)
    small = count_queries(client, url)
    more = linked(25, start=T0 + timedelta(hours=5), channel="email")
    for ticket in more:
        services.propose(ticket=ticket, incident=incident, offer=credit(1000), by=agent)
    IncidentEvent.objects.bulk_create(
        IncidentEvent(incident=incident, kind="update_published") for _ in range(10)
    )
    large = count_queries(client, url)

    assert small == large
    assert large <= 15


def test_agents_read_the_report_anonymous_visitors_log_in(client, agent, incident):
    url = f"/crisis/incidents/{incident.pk}/report/"
    assert client.get(url).status_code == 302
    client.force_login(agent)
    assert client.get(url).status_code == 200


def test_the_chart_coordinates_are_not_localised(client, manager, story):
    """Polish writes decimals with a comma; SVG attributes must not."""
    client.force_login(manager)

    page = client.get(f"/crisis/incidents/{story.pk}/report/", HTTP_ACCEPT_LANGUAGE="pl").text

    assert 'lang="pl"' in page
    rects = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)"', page)
    assert rects
    assert all("," not in value for rect in rects for value in rect)
