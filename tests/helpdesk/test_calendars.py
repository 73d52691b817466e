"""The opening-hours page: every queue's hours, open state, days off and SLA targets."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from helpdesk.models import Closure, OpeningHours, Queue

BUDAPEST = ZoneInfo("Europe/Budapest")
WARSAW = ZoneInfo("Europe/Warsaw")
URL = "/agent/calendars/"


@pytest.fixture
def queues(queue, polish_queue):
    return [queue, polish_queue]


def section(response, slug: str) -> str:
    html = response.content.decode()
    start = html.index(f'data-testid="queue-{slug}"')
    return html[start : html.find("</section>", start)]


def test_agent_sees_each_queue_open_with_todays_hours_and_targets(client, agent, queues):
    client.force_login(agent)

    with time_machine.travel(datetime(2026, 3, 16, 10, tzinfo=BUDAPEST), tick=False):
        response = client.get(URL, headers={"accept-language": "en"})

    assert response.status_code == 200
    general = section(response, "general")
    assert "Open now" in general
    assert "until 17:00" in general
    assert "08:00–17:00" in general
    assert "1 business hour" in general  # urgent first response
    assert "80 business hours" in general  # low resolution
    assert "08:00–18:00" in section(response, "billing-pl")


def test_closed_queue_shows_its_next_opening_after_a_holiday_and_bridge_day(client, agent, queues):
    client.force_login(agent)

    with time_machine.travel(datetime(2026, 8, 20, 10, tzinfo=BUDAPEST), tick=False):
        response = client.get(URL, headers={"accept-language": "en"})

    general = section(response, "general")
    assert "Closed now" in general
    assert "opens Monday 24 August at 08:00" in general
    assert "closed all day" in general
    assert "State Foundation Day" in general
    assert "Bridge day off (worked on 08/08/2026)" in general
    # The Polish queue is open: 20 August is not a holiday in Poland.
    assert "Open now" in section(response, "billing-pl")


def test_days_off_in_the_next_60_days_in_the_page_language(client, agent, queues, budapest_calendar):
    Closure.objects.create(
        calendar=budapest_calendar,
        starts_at=datetime(2026, 11, 5, 12, tzinfo=BUDAPEST),
        ends_at=datetime(2026, 11, 6, 17, tzinfo=BUDAPEST),
        reason="Moving to the new office",
    )
    Closure.objects.create(
        calendar=budapest_calendar,
        starts_at=datetime(2027, 2, 1, 8, tzinfo=BUDAPEST),
        ends_at=datetime(2027, 2, 1, 17, tzinfo=BUDAPEST),
        reason="Too far ahead",
    )
    client.force_login(agent)

    with time_machine.travel(datetime(2026, 10, 20, 10, tzinfo=BUDAPEST), tick=False):
        hungarian = client.get(URL, headers={"accept-language": "hu"})
        polish = client.get(URL, headers={"accept-language": "pl"})

    assert "Nemzeti ünnep" in section(hungarian, "general")  # 23 October
    assert "Mindenszentek" in section(hungarian, "general")  # 1 November
    assert "Moving to the new office" in section(hungarian, "general")
    assert "Too far ahead" not in section(hungarian, "general")
    assert "Narodowe Święto Niepodległości" in section(polish, "billing-pl")  # 11 November
    assert "Wszystkich Świętych" in section(polish, "billing-pl")
    assert "Boże Narodzenie" not in section(polish, "billing-pl")  # more than 60 days ahead


def test_the_page_costs_a_fixed_number_of_queries(
    client, agent, queues, budapest_calendar, manager, django_assert_num_queries
):
    client.force_login(agent)
    with time_machine.travel(datetime(2026, 3, 16, 10, tzinfo=BUDAPEST), tick=False):
        client.get(URL)  # holidays of the year built once per process
        # session, the user with their roles, queues, SLA targets, opening hours, closures
        with django_assert_num_queries(6):
            client.get(URL)
        for number in range(3):
            extra = Queue.objects.create(
                name=f"Extra {number}", slug=f"extra-{number}", calendar=budapest_calendar, manager=manager
            )
            OpeningHours.objects.create(calendar=extra.calendar, weekday=0, opens=time(9), closes=time(12))
        with django_assert_num_queries(6):
            response = client.get(URL)

    assert "Extra 2" in response.content.decode()


def test_manager_sees_the_page_too(client, manager, queues):
    client.force_login(manager)

    assert client.get(URL).status_code == 200


def test_signed_out_visitor_is_sent_to_sign_in(client, queues):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_without_a_role_are_refused(client, outsider, queues):
    client.force_login(outsider)

    assert client.get(URL).status_code == 403


def test_page_without_queues(client, agent):
    client.force_login(agent)

    assert "No queues yet" in client.get(URL, headers={"accept-language": "en"}).content.decode()


def test_opening_state_is_computed_by_the_model_in_the_calendars_time_zone(warsaw_calendar):
    state = warsaw_calendar.state_at(datetime(2026, 3, 28, 8, 30, tzinfo=ZoneInfo("UTC")))

    assert state.is_open  # Saturday 09:30 in Warsaw
    assert state.closes_at == datetime(2026, 3, 28, 13, tzinfo=WARSAW)
    assert state.hours_today == [
        (datetime(2026, 3, 28, 9, tzinfo=WARSAW), datetime(2026, 3, 28, 13, tzinfo=WARSAW))
    ]
