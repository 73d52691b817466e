"""Dates in the reader's format: English day first (en-GB), Hungarian and Polish their own way."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from helpdesk import tasks
from helpdesk.charts import day_label, hour_label
from helpdesk.models import Notification

# Monday 23 November 2026: a day whose number cannot pass for a month.
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Budapest"))


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


def test_an_english_page_writes_the_day_before_the_month(client, make_ticket):
    ticket = make_ticket(language="en")

    page = client.get(f"/status/{ticket.status_token}/", HTTP_ACCEPT_LANGUAGE="en").text

    assert "23/11/2026 09:00" in page
    assert "11/23/2026" not in page


@pytest.mark.parametrize(("language", "written"), [("hu", "2026.11.23. 09:00"), ("pl", "23-11-2026")])
def test_hungarian_and_polish_pages_write_dates_their_own_way(client, make_ticket, language, written):
    ticket = make_ticket(language=language)

    page = client.get(f"/status/{ticket.status_token}/", HTTP_ACCEPT_LANGUAGE=language).text

    assert written in page


def test_an_english_email_writes_the_day_before_the_month(make_ticket):
    make_ticket(email="kate@example.com", language="en")

    tasks.send_status_links("kate@example.com")

    body = Notification.objects.get(kind="status_links").body_text
    assert "23 Nov 2026" in body
    assert not re.search(r"Nov\.? 23", body)


@pytest.mark.parametrize(
    ("language", "day", "hour"),
    [
        ("en", "23 Nov", "23 Nov 09:00"),
        ("hu", "nov. 23.", "nov. 23. 09:00"),
        ("pl", "23 lis", "23 lis 09:00"),
    ],
)
def test_chart_labels_follow_the_reader_s_order(language, day, hour):
    with translation.override(language):
        assert day_label(date(2026, 11, 23)) == day
        assert hour_label(MONDAY_MORNING) == hour
