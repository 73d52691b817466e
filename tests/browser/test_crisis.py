"""A crisis, end to end in a real browser: a manager declares an incident, the banner shows on
the home page in Hungarian within seconds, a customer reports through it in one step, an agent
drafts an update, a second manager approves it, and the customer's status page shows it."""

import pytest
from playwright.sync_api import expect

from crisis.models import Incident, IncidentTicket
from helpdesk.models import Ticket
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser

STATEMENT = {
    "en": "Card payments fail for some customers. We are working on it.",
    "hu": "Egyes ügyfeleinknél nem működik a kártyás fizetés. Dolgozunk a megoldáson.",
    "pl": "U części klientów nie działają płatności kartą. Pracujemy nad tym.",
}
UPDATE = {
    "en": "We found the cause: a faulty payment gateway.",
    "hu": "Megtaláltuk az okát: hibás fizetési átjáró.",
    "pl": "Znaleźliśmy przyczynę: wadliwa bramka płatności.",
}


def sign_in(new_page, username):
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def fill_statement(page, texts):
    for language in ("en", "hu", "pl"):
        page.locator(f"#id_text_{language}").fill(texts[language])


@pytest.mark.long
def test_a_crisis_from_declaration_to_the_customer_s_status_page(
    new_page, page_in, assert_accessible, manager, second_manager, agent, queue
):
    boss = sign_in(new_page, "marek")
    boss.goto("/crisis/incidents/new/")
    boss.locator("#id_title").fill("Card payments failing")
    boss.locator("#id_title_hu").fill("Nem működik a kártyás fizetés")
    boss.locator("#id_title_pl").fill("Płatności kartą nie działają")
    fill_statement(boss, STATEMENT)
    boss.get_by_role("button", name="Declare and publish the statement").click()
    expect(boss.get_by_test_id("incident-state")).to_have_text("Declared")

    customer = page_in("hu")
    customer.goto("/")
    banner = customer.get_by_test_id("crisis-banner")
    expect(banner).to_contain_text("Nem működik a kártyás fizetés", timeout=5_000)
    expect(banner).to_contain_text(STATEMENT["hu"])
    assert_accessible(customer)

    customer.get_by_test_id("crisis-report").click()
    customer.locator("#id_name").fill("Katalin Szabó")
    customer.locator("#id_email").fill("katalin@example.hu")
    customer.get_by_test_id("crisis-report-send").click()
    customer.wait_for_url("**/tickets/new/done/**")
    ticket = Ticket.objects.get(customer__email="katalin@example.hu")
    assert IncidentTicket.objects.get(ticket=ticket).via == "intake"
    ticket.status_token = customer.url.rstrip("/").rsplit("/", 1)[1]  # the confirmation page's link

    writer = sign_in(new_page, "anna")
    writer.goto(IncidentTicket.objects.get().incident.get_absolute_url())
    writer.get_by_role("link", name="Draft a public update").click()
    fill_statement(writer, UPDATE)
    writer.get_by_role("button", name="Send for review").click()
    expect(writer.get_by_test_id("needs-second-person")).to_be_visible()
    review_url = writer.url

    reviewer = sign_in(new_page, "zofia")
    reviewer.goto(review_url)
    reviewer.get_by_test_id("approve").click()
    expect(reviewer.get_by_test_id("update-state")).to_have_text("Published")

    customer.goto(f"/status/{ticket.status_token}/")
    expect(customer.get_by_test_id("crisis-status")).to_contain_text(UPDATE["hu"])
    expect(customer.get_by_test_id("crisis-banner")).to_contain_text(UPDATE["hu"])


def test_agent_links_the_requests_an_incident_s_keyword_finds(new_page, manager, agent, make_ticket):
    incident = Incident.declare(
        title="Power cut", statement=STATEMENT, by=manager, match_keywords="Áramszünet\nawaria"
    )
    unaccented = make_ticket(subject="Aramszunet a Vaci uton", email="b@example.hu")
    polish = make_ticket(subject="Brak prądu", body="Od rana AWARIA u nas", email="c@example.pl")
    unrelated = make_ticket(subject="Address change", body="I moved house", email="d@example.hu")

    desk = sign_in(new_page, "anna")
    desk.goto(f"/crisis/incidents/{incident.pk}/suggestions/")
    suggestions = desk.get_by_test_id("suggestions")
    expect(suggestions).to_contain_text(unaccented.reference)
    expect(suggestions).to_contain_text(polish.reference)
    expect(suggestions).not_to_contain_text(unrelated.reference)
    desk.get_by_role("button", name="Link the chosen requests").click()

    expect(desk.get_by_test_id("no-suggestions")).to_be_visible()
    linked = set(IncidentTicket.objects.filter(incident=incident).values_list("ticket_id", flat=True))
    assert linked == {unaccented.pk, polish.pk}
