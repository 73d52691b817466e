"""The home page: FAQ search, most asked questions, the channels, submit and check a request."""

import pytest

from helpdesk.models import ChannelListing


def test_home_offers_search_submit_and_check(client, db):
    page = client.get("/").text
    assert 'action="/faq/"' in page
    assert 'name="q"' in page
    assert 'href="/tickets/new/"' in page
    assert 'href="/status/"' in page
    assert "Check my request" in page
    assert 'href="/contact/"' in page


def test_most_asked_are_the_most_viewed_published_entries(client, make_entry):
    for views, slug in [(5, "five"), (50, "fifty"), (20, "twenty")]:
        entry = make_entry(slug, question_en=f"Asked {slug}?")
        entry.view_count = views
        entry.save(update_fields=["view_count"])
    make_entry("draft", published=False, question_en="Draft question?")
    page = client.get("/").text
    most_asked = page.split('data-testid="most-asked"')[1].split("</ul>")[0]
    assert (
        most_asked.index("Asked fifty?") < most_asked.index("Asked twenty?") < most_asked.index("Asked five?")
    )
    assert "Draft question?" not in most_asked


def test_most_asked_in_the_visitors_language(client, make_entry):
    make_entry("bill", question_hu="Mikor jön a számla?", answer_hu="Minden hónap 5-én.")
    assert "Mikor jön a számla?" in client.get("/", HTTP_ACCEPT_LANGUAGE="hu").text


def test_channel_summary_on_the_home_page(client, queue, budapest_calendar):
    ChannelListing.objects.create(
        channel="phone", purpose_en="Urgent.", contact="+36 1 555 0100", calendar=budapest_calendar
    )
    summary = client.get("/").text.split('data-testid="channel-summary"')[1].split("</ul>")[0]
    assert "Phone" in summary
    assert "+36 1 555 0100" in summary
    assert 'data-testid="open-state"' in summary


@pytest.mark.parametrize("size", [2, 25])
def test_home_page_issues_a_fixed_number_of_queries(
    client, make_entry, make_ticket, queue, budapest_calendar, django_assert_num_queries, size
):
    ChannelListing.objects.create(channel="web", purpose_en="Any.", queue=queue)
    ChannelListing.objects.create(channel="phone", purpose_en="Urgent.", calendar=budapest_calendar)
    for number in range(size):
        make_entry(f"entry-{number}")
        make_ticket(email=f"c{number}@example.hu")
    # Most asked; listings with line counts; hours and closures of two calendars.
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200
