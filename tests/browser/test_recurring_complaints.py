"""A recurring complaint, end to end in a real browser: five customers complain about their bill
in different word forms, the worker's grouping escalates the theme, and a manager opens the
escalation from the dashboard, sees its chart and texts, assigns an owner and closes it with the
root cause; the list of escalations shows it closed."""

import pytest
from playwright.sync_api import expect

from feedback.models import RecurringComplaint, Theme
from feedback.themes import complaints
from helpdesk import intake
from helpdesk.roles import AGENTS, MANAGERS
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

TEXTS = [
    ("Hibás a számlám, kétszer terhelték", "web"),
    ("Hibás számlát kaptam megint", "email"),
    ("hibas szamlamat kaptam, kerem javitsak", "phone"),
    ("Hibás számlázási adatok a számlámon", "web"),
    ("Nem értem a számlámat, hibás az összeg", "email"),
]


@pytest.fixture
def zofia(roles):
    return UserFactory(username="zofia", first_name="Zofia", roles=[AGENTS, MANAGERS])


def complain(texts, category):
    """Complaints from different customers, each grouped as the worker groups it."""
    tickets = []
    for number, (text, channel) in enumerate(texts):
        ticket = intake.receive(
            channel=channel,
            identity_verified=False,
            subject=text,
            body=text,
            name=f"Ügyfél {number}",
            email=f"ugyfel{number}@example.hu",
            language="hu",
            category=category,
            acknowledge=False,
        )
        complaints.group_complaint(ticket.pk)
        tickets.append(ticket)
    return tickets


def test_a_manager_opens_assigns_and_closes_an_escalation(
    page, manager, zofia, complaint_category, assert_accessible
):
    complain(TEXTS, complaint_category)
    recurring_complaint = RecurringComplaint.objects.get()

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("marek")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    # From the dashboard: its charts, and the open escalation in its recurring-complaints panel.
    page.goto("/manage/")
    expect(page.locator("svg[role=img]")).to_have_count(8)
    panel = page.get_by_test_id("themes-panel")
    expect(panel.locator(f"[data-recurring-complaint='{recurring_complaint.pk}']")).to_be_visible()
    assert_accessible(page)
    panel.locator(f"[data-recurring-complaint='{recurring_complaint.pk}']").get_by_role("link").click()
    expect(page.get_by_test_id("recurring-complaint-status")).to_have_text("New")
    expect(page.get_by_role("img", name="Complaints per day, last 30 days")).to_be_visible()
    expect(page.get_by_test_id("samples")).to_contain_text("hibas szamlamat kaptam")
    expect(page.get_by_test_id("channels")).to_contain_text("Phone")
    expect(page.locator("[data-ticket]")).to_have_count(5)
    assert_accessible(page)

    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("recurring-complaint-status")).to_have_text("Acknowledged")
    page.get_by_label("Owner").select_option(label="Zofia")
    page.get_by_role("button", name="Assign owner").click()
    expect(page.get_by_test_id("recurring-complaint-owner")).to_contain_text("Zofia")

    page.get_by_label("Root cause").fill("The November billing run charged the fee twice.")
    page.get_by_label("Fix").fill("Billing run corrected; refunds issued.")
    page.get_by_role("button", name="Close escalation").click()

    expect(page.get_by_test_id("recurring-complaint-status")).to_have_text("Closed")
    expect(page.get_by_test_id("root-cause")).to_have_text("The November billing run charged the fee twice.")
    page.goto("/manage/escalations/")
    assert_accessible(page)
    recurring_complaint.refresh_from_db()
    assert recurring_complaint.status == RecurringComplaint.Status.CLOSED
    assert recurring_complaint.owner == zofia


def test_a_manager_splits_a_theme(page, manager, complaint_category, assert_accessible):
    tickets = complain(TEXTS, complaint_category)
    theme = Theme.objects.get()

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("marek")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(theme.get_absolute_url())
    expect(page.get_by_test_id("shared-words")).to_contain_text("hibás")
    expect(page.get_by_test_id("central-examples").locator("li")).to_have_count(3)

    # Two of them are about the amount, not the invoice's data: the manager splits them off.
    for ticket in (tickets[0], tickets[4]):
        page.get_by_label(f"Choose {ticket.reference}").check()
    page.get_by_text("Split the theme or move complaints out").click()
    page.get_by_label("Title of the new theme").fill("Wrong amount charged")
    page.get_by_label("Why (kept in the theme's history)").fill("About the amount, not the invoice")
    assert_accessible(page)
    page.get_by_role("button", name="Move the ticked complaints").click()

    expect(page.get_by_role("alert")).to_contain_text("2 complaints moved to “Wrong amount charged”.")
    expect(page.locator("[data-ticket]")).to_have_count(3)
    history = page.get_by_test_id("theme-history")
    expect(history).to_contain_text("Complaints split off into a new theme")
    expect(history).to_contain_text("About the amount, not the invoice")
    history.get_by_role("link", name="Wrong amount charged").click()
    expect(page.locator("[data-ticket]")).to_have_count(2)
    expect(page.get_by_test_id("theme-history")).to_contain_text("Marek")
    assert_accessible(page)
    assert Theme.objects.get(title="Wrong amount charged").size == 2


def test_a_manager_merges_a_theme_into_an_escalated_one(page, manager, complaint_category, assert_accessible):
    from feedback.themes import consolidation

    # Two more, in words the grouping did not put with the bill (a manager sees the same fault).
    texts = [*TEXTS, ("A díjat kétszer vonták le", "web"), ("Kétszer vonták le a díjat", "chat")]
    complain(texts, complaint_category)
    escalation = RecurringComplaint.objects.get()
    other = Theme.objects.exclude(pk=escalation.theme_id).order_by("pk").first()
    joining = other.size
    assert consolidation.propose(
        escalation.theme_id, other.pk, 0.62, escalated={escalation.theme_id: escalation.raised_at}
    )

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("marek")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/manage/escalations/")
    page.get_by_test_id("merge-proposals-link").click()
    expect(page.get_by_test_id("proposal-figures")).to_contain_text("Similarity 0.62")
    assert_accessible(page)
    page.get_by_role("button", name="Merge: the same problem").click()

    expect(page.get_by_role("alert")).to_contain_text("joined this theme and its escalation")
    expect(page.locator("[data-ticket]")).to_have_count(5 + joining)
    expect(page.get_by_test_id("recurring-complaint-history")).to_contain_text(
        "Complaints added: a theme of the same problem joined"
    )
    assert RecurringComplaint.objects.count() == 1
