"""Customers find answers in the FAQ without typing accents; the self-service pages are accessible."""

import re

import pytest
from playwright.sync_api import expect

from devtools.demo.faq import seed_faq_and_directory
from devtools.demo.helpdesk import seed_routing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(manager):
    seed_routing(manager)
    seed_faq_and_directory()


def test_hungarian_customer_finds_the_answer_typing_without_accents(page_in, seeded):
    page = page_in("hu")
    page.goto("/")
    page.locator("#home-q").fill("szamla magasabb")
    page.locator('[data-testid="home-search"] button[type="submit"]').click()

    results = page.locator('[data-testid="faq-results"]')
    first = results.get_by_role("link").first
    expect(first).to_have_text("Miért magasabb a számlám a szokásosnál?")
    first.click()

    entry = page.locator('[data-testid="faq-entry"]')
    expect(entry).to_contain_text("csak a nem vitatott részt kell befizetnie")
    expect(page.locator('[data-testid="fallback-note"]')).to_have_count(0)
    page.locator('[data-testid="helpful"] button[value="yes"]').click()
    expect(page).to_have_url(re.compile(r"/faq/bill-higher-than-usual/\?voted=1"))


def test_polish_customer_finds_the_answer_typing_without_accents(page_in, seeded):
    page = page_in("pl")
    page.goto("/faq/")
    page.locator("#faq-q").fill("forma platnosci")
    page.locator('[data-testid="faq-search"] button[type="submit"]').click()

    first = page.locator('[data-testid="faq-results"]').get_by_role("link").first
    expect(first).to_have_text("Jak zmienić formę płatności (polecenie zapłaty, karta, przelew)?")
    first.click()
    expect(page.locator('[data-testid="faq-entry"]')).to_contain_text(
        "Zmiana formy płatności jest bezpłatna."
    )
    assert page.locator("html").get_attribute("lang") == "pl"


def test_polish_customer_finds_the_invoice_answers_in_any_word_form(page_in, seeded):
    page = page_in("pl")
    page.goto("/faq/")
    page.locator("#faq-q").fill("wyższe faktury")
    page.locator('[data-testid="faq-search"] button[type="submit"]').click()

    first = page.locator('[data-testid="faq-results"]').get_by_role("link").first
    expect(first).to_have_text("Dlaczego moja faktura jest wyższa niż zwykle?")


def test_hungarian_customer_finds_bills_typing_my_bill(page_in, seeded):
    page = page_in("hu")
    page.goto("/faq/?q=számlám")

    results = page.locator('[data-testid="faq-results"]').get_by_role("link")
    expect(results.filter(has_text="Mikor kell befizetnem a számlát")).to_have_count(1)


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
@pytest.mark.parametrize(
    "path", ["/", "/faq/", "/faq/?q=szamla", "/faq/bill-higher-than-usual/", "/contact/"]
)
def test_self_service_pages_are_accessible(page_in, assert_accessible, seeded, language, path):
    page = page_in(language)
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


def test_fallback_note_page_is_accessible(page_in, assert_accessible, seeded):
    from helpdesk.models import FaqEntry

    FaqEntry.objects.filter(slug="paid-twice").update(question_pl="", answer_pl="")
    page = page_in("pl")
    page.goto("/faq/paid-twice/")
    expect(page.locator('[data-testid="fallback-note"]')).to_be_visible()
    assert_accessible(page)
