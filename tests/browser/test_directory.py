"""What a customer reads about reaching us, in a real browser: the week's hours with today
highlighted on the contact page, and the demo incident's banner in every language."""

from datetime import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crisis import banner
from devtools.demo import crisis as demo_crisis
from helpdesk.models import Branch, ChannelListing

pytestmark = pytest.mark.browser

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def test_the_contact_page_shows_each_branchs_week_with_today_highlighted(
    page, budapest_calendar, assert_accessible
):
    budapest_calendar.opening_hours.filter(weekday=5).delete()
    budapest_calendar.opening_hours.create(weekday=5, opens=time(9), closes=time(13))
    Branch.objects.create(
        name="Budapest, Váci út", slug="vaci", address="Váci út 37", calendar=budapest_calendar
    )
    ChannelListing.objects.create(channel="walk_in", purpose_en="Come in person.")
    today = WEEKDAY_NAMES[timezone.localdate().weekday()]

    page.goto("/contact/")

    card = page.get_by_test_id("channel-walk_in")
    expect(card.get_by_role("heading", level=2)).to_have_text("Walk-in desks · Budapest, Váci út")
    expect(card.get_by_test_id("contact-detail")).to_have_text("Váci út 37")
    week = card.get_by_test_id("week-hours")
    expect(week.locator("tr")).to_have_count(7)
    expect(week.locator("tr", has_text="Saturday")).to_contain_text("09:00–13:00")
    expect(week.locator("tr", has_text="Sunday")).to_contain_text("closed all day")
    expect(week.locator('tr[aria-current="date"]')).to_have_count(1)
    expect(week.locator('tr[aria-current="date"]')).to_contain_text(today)
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "words"), [("en", "charged twice"), ("hu", "kétszer"), ("pl", "dwukrotnie")]
)
def test_the_demo_incident_banner_has_its_statement_in_every_language(
    page_in, agent, manager, language, words
):
    demo_crisis.seed(agent=agent, manager=manager)
    banner.forget()
    page = page_in(language)

    page.goto("/")

    notice = page.get_by_test_id("crisis-banner")
    expect(notice.get_by_test_id("crisis-statement")).to_contain_text(words)
    expect(notice.get_by_test_id("crisis-fallback")).to_have_count(0)
