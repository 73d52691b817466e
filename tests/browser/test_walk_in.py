"""Walk-in, end to end in a real browser: a visitor is checked in at the front desk, an agent at
a desk calls the next visitor, and the lobby screen (another browser) shows the number called
within five seconds, without a reload, by push and with push turned off. The lobby and the front
desk meet WCAG 2.1 AA."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from crisis.models import Incident
from tests.crisis.conftest import STATEMENT
from tests.helpdesk.walk_in import conftest as walk_in_fixtures

# The branch of the walk-in tests: lines A and B, desk 1 with Anna sitting at it.
branch, line_a, line_b, desk = (
    walk_in_fixtures.branch,
    walk_in_fixtures.line_a,
    walk_in_fixtures.line_b,
    walk_in_fixtures.desk,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username="anna"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def test_a_checked_in_visitor_is_called_and_the_lobby_shows_the_number(new_page, desk, branch, live_mode):
    """By push (the board's own look again only every half a minute, when a call's highlight
    fades) and with push turned off (the board polls every two seconds)."""
    # One language on this screen: a rotating one would change its words every few seconds.
    branch.display_language = "en"
    branch.save(update_fields=["display_language"])
    agent_page = new_page(1280, 800)
    lobby = new_page(1920, 1080)
    lobby.goto(f"/display/{branch.slug}/")
    expect(lobby.get_by_text("Nobody is being served right now.")).to_be_visible()
    if live_mode == "push":
        lobby.wait_for_function("() => window.helpdeskLive.connected")
    else:
        assert lobby.evaluate("window.helpdeskLive.connected") is False
    lobby.evaluate("window.notReloaded = true")

    sign_in(agent_page)
    agent_page.goto(f"/agent/walk-in/{branch.slug}/check-in/")
    agent_page.get_by_label("Name").fill("Emma Clarke")
    agent_page.get_by_label("What they need").fill("Move my contract to a new flat")
    agent_page.get_by_label("Phone (optional)").fill("+36 30 555 0101")
    agent_page.get_by_role("button", name="Check in and give a number").click()
    expect(agent_page.get_by_test_id("slip-number")).to_have_text("A-001")
    expect(agent_page.get_by_test_id("slip-status-link")).to_be_visible()
    expect(lobby.get_by_test_id("next-up")).to_contain_text("A-001", timeout=5_000)

    agent_page.goto("/agent/walk-in/")
    agent_page.get_by_role("link", name="Go to my desk").click()
    agent_page.get_by_role("button", name="Call next").click()
    expect(agent_page.get_by_test_id("called-number")).to_have_text("A-001")

    # The lobby was not reloaded: htmx polling brings the called number within five seconds.
    serving = lobby.get_by_test_id("serving-A-001")
    expect(serving).to_contain_text("A-001", timeout=5_000)
    expect(serving).to_contain_text("1")
    expect(serving).to_have_class("lobby-fresh")
    assert lobby.evaluate("window.notReloaded") is True


@pytest.mark.parametrize("language", ["en", "hu", "pl"])
def test_the_lobby_screen_is_accessible_in_each_language(
    new_page, branch, line_a, line_b, assert_accessible, language
):
    branch.display_language = language
    branch.save()
    page = new_page(1920, 1080)
    page.goto(f"/display/{branch.slug}/")

    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)


@pytest.fixture
def incident(manager):
    """An active incident with its statement in three languages; the banner's cache, which lives
    in this process across tests, is emptied before and after."""
    cache.clear()
    yield Incident.declare(
        title="Card payments failing",
        title_hu="Nem működik a kártyás fizetés",
        title_pl="Płatności kartą nie działają",
        statement=STATEMENT,
        by=manager,
    )
    cache.clear()


@pytest.mark.parametrize("language", ["hu", "pl"])
def test_the_lobby_screen_shows_an_incident_as_a_notice_without_a_form_and_stays_accessible(
    new_page, branch, line_a, incident, assert_accessible, language
):
    branch.display_language = language
    branch.save()
    page = new_page(1920, 1080)
    page.goto(f"/display/{branch.slug}/")

    notice = page.get_by_test_id("lobby-incident")
    expect(notice).to_contain_text(STATEMENT[language])
    expect(notice).to_contain_text(incident.title_in(language))
    assert page.locator("form, input, textarea, button").count() == 0
    # Large enough to read from across the room: at least as large as the page's own text.
    sizes = notice.locator("p").evaluate(
        "p => [parseFloat(getComputedStyle(p).fontSize), parseFloat(getComputedStyle(document.body).fontSize)]"
    )
    assert sizes[0] >= sizes[1]
    assert_accessible(page)


def test_a_rotating_lobby_keeps_the_page_language_in_step(new_page, branch, line_a):
    page = new_page(1920, 1080)
    page.goto(f"/display/{branch.slug}/")
    first = page.locator("html").get_attribute("lang")

    # Within one rotation the board comes back in the next language, and so does the page.
    page.wait_for_function(
        "l => document.getElementById('board').dataset.lang !== l", arg=first, timeout=15_000
    )
    shown = page.get_by_test_id("lobby-board").get_attribute("data-lang")
    page.wait_for_function("l => document.documentElement.lang === l", arg=shown)
    assert shown != first
    assert page.get_by_test_id("lobby-board").get_attribute("lang") == shown


def test_the_front_desk_and_the_desk_are_accessible(page, branch, line_a, line_b, desk, assert_accessible):
    sign_in(page)
    page.goto(f"/agent/walk-in/{branch.slug}/check-in/")
    expect(page.get_by_role("heading", name="Check in a visitor")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name").fill("Piotr Nowak")
    page.get_by_label("What they need").fill("Faktura")
    page.get_by_role("button", name="Check in and give a number").click()
    expect(page.get_by_test_id("slip-number")).to_have_text("A-001")
    assert_accessible(page)

    page.goto(f"/agent/walk-in/desks/{desk.pk}/")
    page.get_by_role("button", name="Call next").click()
    expect(page.get_by_test_id("called-number")).to_have_text("A-001")
    assert_accessible(page)
