"""Every page works in Chromium with the Content-Security-Policy enforced: nothing is blocked.

Each page is loaded, its htmx polls are let run (and a chat line is sent both ways), and the
browser's `securitypolicyviolation` events and console reports must stay empty.
"""

import pytest
from playwright.sync_api import expect

from tests.conftest import STAFF_PASSWORD
from tests.security import conftest as site

chat_queue, public_pages, staff_pages = site.chat_queue, site.public_pages, site.staff_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of the page (Playwright injects it outside the page's policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(
    event.effectiveDirective + " blocked " + (event.blockedURI || "inline") + " at "
    + event.sourceFile + ":" + event.lineNumber + " " + event.sample
  );
});
"""


@pytest.fixture
def watched_page(new_page):
    """`page, problems = watched_page()`: a page whose policy violations end up in `problems`."""

    def open_page():
        page = new_page(1280, 900)
        page.add_init_script(RECORD_VIOLATIONS)
        problems = []
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}")
                if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        return page, problems

    return open_page


def visit(page, problems, name, path):
    response = page.goto(path)
    assert response.ok, (name, response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"], name
    page.wait_for_load_state("networkidle")
    return collect(page, problems, name)


def collect(page, problems, name):
    problems.extend(f"{name}: {violation}" for violation in page.evaluate("window.__violations || []"))
    return problems


@pytest.mark.long
def test_every_public_page_runs_with_the_policy_enforced(watched_page, public_pages):
    page, problems = watched_page()

    for name, path in public_pages.items():
        if not name.startswith("_"):
            visit(page, problems, name, path)

    assert problems == []


def test_the_crisis_banner_and_the_api_docs_render_under_the_policy(watched_page, public_pages):
    page, problems = watched_page()

    visit(page, problems, "home", "/")
    expect(page.get_by_text("Card payments failing").first).to_be_visible()
    visit(page, problems, "api docs", "/api/docs/")
    # Swagger UI, from our own static files, has read the description and drawn the operations.
    expect(page.locator(".opblock").first).to_be_visible()
    collect(page, problems, "api docs")

    assert problems == []


def test_the_chat_polls_and_sends_under_the_policy(watched_page, public_pages, manager):
    customer, problems = watched_page()
    agent, agent_problems = watched_page()

    visit(customer, problems, "chat room", public_pages["chat room"])
    sign_in(agent, manager.username)
    visit(agent, agent_problems, "workspace", f"/agent/tickets/{public_pages['_chat_ticket']}/")

    customer.get_by_label("Your message").fill("Are you there?")
    customer.get_by_label("Your message").press("Enter")
    expect(agent.get_by_test_id("chat-panel")).to_contain_text("Are you there?", timeout=5_000)
    agent.get_by_label("Chat message").fill("Yes, I am looking at your bill.")
    agent.get_by_role("button", name="Send", exact=True).click()
    expect(customer.get_by_test_id("chat-messages")).to_contain_text("looking at your bill", timeout=5_000)

    collect(customer, problems, "chat room")
    collect(agent, agent_problems, "workspace")
    assert problems + agent_problems == []


def test_the_status_page_and_the_lobby_poll_under_the_policy(watched_page, public_pages):
    page, problems = watched_page()
    page.clock.install()  # the page's timers: its polls are brought forward, not waited for

    visit(page, problems, "status page", public_pages["status page"])
    with page.expect_response(lambda response: "/live/" in response.url, timeout=10_000):
        page.clock.fast_forward("00:21")  # the status page polls every 20 seconds
    collect(page, problems, "status page")
    visit(page, problems, "lobby screen", public_pages["lobby screen"])
    with page.expect_response(lambda response: "/board/" in response.url, timeout=10_000):
        page.clock.fast_forward("00:03")
    collect(page, problems, "lobby screen")

    assert problems == []


@pytest.mark.long
def test_the_main_staff_pages_run_with_the_policy_enforced(watched_page, staff_pages, manager):
    page, problems = watched_page()
    sign_in(page, manager.username)
    collect(page, problems, "sign in")

    for name, path in staff_pages.items():
        visit(page, problems, name, path)
    with page.expect_response(lambda response: "/agent/" in response.url, timeout=25_000):
        page.goto("/agent/")

    assert problems == []


def test_a_violation_would_be_seen(watched_page, public_pages):
    page, problems = watched_page()
    visit(page, problems, "home", "/")

    # What an injected handler would be: the policy blocks it, and the test hears of it.
    page.evaluate(
        """() => {
          const button = document.createElement("button");
          button.setAttribute("onclick", "window.__ran = true");
          document.body.append(button);
          button.click();
        }"""
    )

    assert page.evaluate("window.__ran") is None
    assert any("script-src-attr" in problem for problem in collect(page, problems, "home"))


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url("/accounts/login/")
