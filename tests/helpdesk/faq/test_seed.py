"""The demo FAQ and channel directory: realistic, complete in three languages, safe to run again."""

import pytest

from devtools.demo.faq import seed_faq_and_directory
from devtools.demo.helpdesk import seed_routing
from helpdesk import faq_search
from helpdesk.languages import LANGUAGES
from helpdesk.models import ChannelListing, FaqCategory, FaqEntry, PhoneMenuOption


@pytest.fixture
def seeded(manager):
    seed_routing(manager)
    return seed_faq_and_directory()


def test_seed_writes_twenty_answers_in_five_categories_in_every_language(seeded):
    assert seeded >= 20
    assert FaqCategory.objects.filter(entries__isnull=False).distinct().count() >= 5
    for entry in FaqEntry.objects.all():
        assert entry.languages == LANGUAGES, entry.slug
        assert entry.is_published


def test_seed_runs_twice_without_changing_anything(seeded):
    counts = [model.objects.count() for model in (FaqCategory, FaqEntry, ChannelListing, PhoneMenuOption)]
    FaqEntry.objects.filter(slug="paid-twice").update(view_count=999)

    assert seed_faq_and_directory() == 0
    assert [
        model.objects.count() for model in (FaqCategory, FaqEntry, ChannelListing, PhoneMenuOption)
    ] == counts
    assert FaqEntry.objects.get(slug="paid-twice").view_count == 999


def test_seed_lists_every_channel_with_hours_or_an_estimate(seeded):
    listings = {listing.channel: listing for listing in ChannelListing.objects.all()}
    assert set(listings) == {"web", "email", "phone", "walk_in", "chat"}
    assert listings["phone"].calendar is not None
    assert listings["web"].queue is not None
    assert all(listing.purpose_hu and listing.purpose_pl for listing in listings.values())


def test_seeded_answers_are_found_without_accents(seeded):
    assert "bill-higher-than-usual" in [entry.slug for entry in faq_search.search("szamla magasabb")]
    assert "change-payment-method" in [entry.slug for entry in faq_search.search("platnosci")]
    assert "submit-meter-reading" in [entry.slug for entry in faq_search.search("meroora")]


def test_the_demo_warsaw_channels_follow_polish_holidays(manager, agent, client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from devtools.demo.walk_in import seed_walk_in

    queues = seed_routing(manager)
    seed_faq_and_directory()
    seed_walk_in(agent=agent, manager=manager, queues=queues)
    # Wednesday 11 November 2026: Poland's Independence Day, a working day in Hungary.
    with time_machine.travel(datetime(2026, 11, 11, 10, tzinfo=ZoneInfo("Europe/Warsaw")), tick=False):
        response = client.get("/contact/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    cards = {
        part.split("</h2>")[0].split(">")[-1]: part.split("</section>")[0]
        for part in response.text.split('data-testid="channel-')[1:]
    }
    assert "Closed now" in cards["Phone · Warszawa"]
    assert "+48 22 555 01 00" in cards["Phone · Warszawa"]
    assert "Open now" in cards["Phone · Budapest"]
    assert "Closed now" in cards["Walk-in desks · Warszawa, Marszałkowska"]
    assert "Marszałkowska 104/122" in cards["Walk-in desks · Warszawa, Marszałkowska"]
    assert "Open now" in cards["Walk-in desks · Budapest, Váci út"]
    assert "Prosta" not in response.text


def test_seeded_answers_are_found_in_any_word_form(seeded):
    def found(words):
        return {entry.slug for entry in faq_search.search(words)}

    bills = found("számla")
    assert len(bills) >= 8
    assert found("számlám") == found("számlámat") == bills
    invoices = found("faktura")
    assert {"when-is-my-bill-due", "bill-higher-than-usual", "paid-twice"} <= invoices
    assert found("faktury") == found("fakturę") == invoices
