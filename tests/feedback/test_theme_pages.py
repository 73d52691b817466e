"""Managers' pages: themes, one theme, recurring complaints; each step on a recurring complaint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import RecurringComplaint, RecurringComplaintRule, Theme
from helpdesk.models import TicketEntry

TEXTS = [
    "Hibás a számlám, kétszer terhelték",
    "Hibás számlát kaptam megint",
    "hibas szamlamat kaptam, kerem javitsak",
    "Hibás számlázási adatok a számlámon",
    "Nem értem a számlámat, hibás az összeg",
]


@pytest.fixture
def recurring_complaint(make_complaint):
    for text, channel in zip(TEXTS, ["web", "email", "phone", "web", "email"], strict=True):
        make_complaint(text, channel=channel)
    return RecurringComplaint.objects.get()


def test_theme_page_shows_tickets_trend_channels_and_samples(client, manager, recurring_complaint):
    client.force_login(manager)
    response = client.get(recurring_complaint.theme.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-ticket="') == 5
    assert "<svg" in content
    assert "Complaints per day, last 30 days" in content
    assert "Phone" in content
    assert "Email" in content
    assert "hibas szamlamat kaptam" in content
    weekly = client.get(recurring_complaint.theme.get_absolute_url() + "?by=week").content.decode()
    assert "Complaints per week, last 12 weeks" in weekly


def test_trend_counts_the_complaints_of_today(manager, recurring_complaint):
    from feedback.themes import summary

    days = summary.trend(recurring_complaint.theme)
    assert len(days) == 30
    assert days[-1][1] == 5
    assert sum(count for _day, count in days) == 5
    assert sum(count for _week, count in summary.trend(recurring_complaint.theme, by="week")) == 5


def test_agents_and_visitors_cannot_see_themes(client, agent, recurring_complaint):
    theme_url = recurring_complaint.theme.get_absolute_url()
    assert client.get(theme_url).status_code == 302
    client.force_login(agent)
    for url in [theme_url, "/manage/themes/", "/manage/escalations/"]:
        assert client.get(url).status_code == 403
    assert client.post(f"/manage/escalations/{recurring_complaint.pk}/acknowledge/").status_code == 403


def test_manager_acknowledges_assigns_and_closes(client, manager, other_manager, recurring_complaint):
    client.force_login(manager)
    base = f"/manage/escalations/{recurring_complaint.pk}"
    assert client.post(f"{base}/acknowledge/").status_code == 302
    assert client.post(f"{base}/owner/", {"owner": other_manager.pk}).status_code == 302
    response = client.post(
        f"{base}/findings/",
        {"root_cause": "The batch job ran twice", "fix": "Made the job idempotent", "close": ""},
    )
    assert response.status_code == 302
    recurring_complaint.refresh_from_db()
    assert recurring_complaint.status == RecurringComplaint.Status.CLOSED
    assert recurring_complaint.owner == other_manager
    assert recurring_complaint.acknowledged_by == manager
    assert recurring_complaint.root_cause == "The batch job ran twice"
    assert list(recurring_complaint.events.values_list("kind", flat=True)) == [
        "raised",
        "acknowledged",
        "owner",
        "closed",
    ]
    page = client.get(recurring_complaint.theme.get_absolute_url()).content.decode()
    assert "The batch job ran twice" in page


def test_closing_without_a_root_cause_is_refused_and_keeps_the_text(client, manager, recurring_complaint):
    client.force_login(manager)
    response = client.post(
        f"/manage/escalations/{recurring_complaint.pk}/findings/",
        {"root_cause": "", "fix": "Restarted it", "close": ""},
    )
    assert response.status_code == 400
    assert "Restarted it" in response.content.decode()
    recurring_complaint.refresh_from_db()
    assert recurring_complaint.is_open


def test_a_closed_escalation_cannot_be_closed_again(client, manager, recurring_complaint):
    recurring_complaint.close(by=manager, root_cause="x", fix="y")
    client.force_login(manager)
    response = client.post(
        f"/manage/escalations/{recurring_complaint.pk}/findings/",
        {"root_cause": "a", "fix": "b", "close": ""},
    )
    assert response.status_code == 409
    assert client.post(f"/manage/escalations/{recurring_complaint.pk}/acknowledge/").status_code == 409


def test_state_changes_need_post(client, manager, recurring_complaint):
    client.force_login(manager)
    assert client.get(f"/manage/escalations/{recurring_complaint.pk}/acknowledge/").status_code == 405
    assert client.get("/manage/escalations/rule/").status_code == 405


def test_escalation_list_filters(client, manager, other_manager, recurring_complaint):
    client.force_login(manager)
    assert 'data-recurring-complaint="' in client.get("/manage/escalations/").content.decode()
    assert (
        'data-recurring-complaint="' not in client.get("/manage/escalations/?status=closed").content.decode()
    )
    assert (
        'data-recurring-complaint="'
        not in client.get(f"/manage/escalations/?owner={other_manager.pk}").content.decode()
    )
    recurring_complaint.assign_owner(other_manager, by=manager)
    assert (
        'data-recurring-complaint="'
        in client.get(f"/manage/escalations/?owner={other_manager.pk}").content.decode()
    )


def test_manager_changes_the_rule_and_a_bad_rule_keeps_what_was_typed(client, manager, db):
    client.force_login(manager)
    response = client.post(
        "/manage/escalations/rule/", {"min_complaints": 2, "min_customers": 9, "window_days": 3}
    )
    assert response.status_code == 400
    assert 'value="9"' in response.content.decode()
    client.post("/manage/escalations/rule/", {"min_complaints": 8, "min_customers": 4, "window_days": 14})
    rule = RecurringComplaintRule.current()
    assert (rule.min_complaints, rule.min_customers, rule.window_days, rule.updated_by) == (8, 4, 14, manager)


def test_manager_renames_a_theme(client, manager, recurring_complaint):
    client.force_login(manager)
    client.post(
        f"/manage/themes/{recurring_complaint.theme_id}/title/", {"title": "Double billing in November"}
    )
    recurring_complaint.theme.refresh_from_db()
    assert recurring_complaint.theme.title == "Double billing in November"


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_use_a_fixed_number_of_queries(client, manager, make_complaint):
    for text in TEXTS:
        make_complaint(text)
    make_complaint("Kurier nie dostarczył paczki", language="pl")
    recurring_complaint = RecurringComplaint.objects.get()
    client.force_login(manager)
    urls = ["/manage/themes/", recurring_complaint.theme.get_absolute_url(), "/manage/escalations/"]
    small = [query_count(client, url) for url in urls]

    for number in range(15):
        make_complaint(
            f"Hibás számla {number}. alkalommal, kétszer terhelték", channel=["web", "chat"][number % 2]
        )
        make_complaint(f"Zgubiona przesyłka numer {number} od kuriera {number}", language="pl")
        make_complaint(f"The app crashes on screen {number} of the transfer wizard {number}", language="en")
    # A second escalation (with embeddings the complaints above may all join escalated themes).
    unescalated = Theme.objects.filter(recurring_complaint__isnull=True).first()
    RecurringComplaint.objects.create(theme=unescalated or Theme.objects.create(title="Another theme"))
    assert RecurringComplaint.objects.count() >= 2
    large = [query_count(client, url) for url in urls]

    assert small == large


def test_the_panel_for_the_dashboard(manager, recurring_complaint, make_complaint, django_assert_num_queries):
    from django.template.loader import render_to_string

    from feedback.themes import summary

    with django_assert_num_queries(4):
        context = summary.panel()
    assert [theme.pk for theme in context["top_themes"]] == [recurring_complaint.theme_id]
    assert context["top_themes"][0].recent_count == 5
    assert context["open_recurring_complaint_count"] == 1
    html = render_to_string("feedback/includes/themes_panel.html", context)
    assert recurring_complaint.theme.title in html


def test_agent_marks_a_ticket_as_a_complaint(client, agent, make_ticket, django_capture_on_commit_callbacks):
    from django_q.models import OrmQ

    ticket = make_ticket(subject="Rude answer on the phone")
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/agent/tickets/{ticket.reference}/complaint/")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.is_complaint
    assert ticket.entries.filter(event=TicketEntry.Event.MARKED_COMPLAINT, is_public=False).exists()
    assert OrmQ.objects.count() == 1
    assert "Mark as a complaint" not in client.get(ticket.get_absolute_url()).content.decode()

    client.post(f"/agent/tickets/{ticket.reference}/complaint/")
    assert ticket.entries.filter(event=TicketEntry.Event.MARKED_COMPLAINT).count() == 1
    assert client.get(f"/agent/tickets/{ticket.reference}/complaint/").status_code == 405


def test_outsider_cannot_mark_a_complaint(client, outsider, make_ticket):
    ticket = make_ticket()
    client.force_login(outsider)
    assert client.post(f"/agent/tickets/{ticket.reference}/complaint/").status_code == 403
