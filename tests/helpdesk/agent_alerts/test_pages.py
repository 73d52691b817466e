"""An agent's notifications: the count in the navigation, the list, marking them read, the choice
of which also come by email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.models import Schedule

from helpdesk import agent_alerts, tasks
from helpdesk.models import AgentAlert, Notification, StaffProfile
from helpdesk.tasks import deliver_due_notifications

pytestmark = pytest.mark.django_db

Kind = AgentAlert.Kind


@pytest.fixture
def make_tickets(make_ticket):
    def make(count):
        return [make_ticket(subject=f"Bill {number}", email="") for number in range(count)]

    return make


def alert(user, ticket, kind=Kind.CUSTOMER_REPLIED, **fields):
    return AgentAlert.objects.create(recipient=user, kind=kind, ticket=ticket, **fields)


def queries_of(client, path, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, **kwargs).status_code == 200
    return len(queries)


# --- the count in the navigation ---------------------------------------------------------------


def test_every_staff_page_shows_the_number_of_unread_notifications(
    client, agent, other_agent, ticket, make_ticket
):
    alert(agent, ticket)
    alert(agent, ticket, kind=Kind.MENTIONED)
    alert(agent, ticket, kind=Kind.ASSIGNED, read_at=ticket.created_at)
    alert(other_agent, ticket)
    another = make_ticket(email="another@example.hu")
    client.force_login(agent)

    for page in ("/agent/", "/agent/calendars/", f"/agent/tickets/{another.reference}/"):
        html = client.get(page).text
        assert 'data-testid="agent-alert-count"><span class="visually-hidden">Unread: </span>2<' in html


def test_the_count_costs_no_query_whatever_the_number_of_notifications(client, agent, make_tickets):
    client.force_login(agent)
    # A first visit reads what is cached per process (calendars, the banner) once.
    client.get("/agent/calendars/")
    none = queries_of(client, "/agent/calendars/")
    for ticket in make_tickets(3):
        alert(agent, ticket)
    three = queries_of(client, "/agent/calendars/")
    for ticket in make_tickets(30):
        alert(agent, ticket)
    thirty = queries_of(client, "/agent/calendars/")

    assert none == three == thirty


def test_the_count_fragment_is_polled_by_the_open_page(client, agent, ticket):
    client.force_login(agent)
    page = client.get("/agent/").text
    assert 'hx-get="/agent/notifications/count/" hx-trigger="every 15s, live"' in page
    assert f'data-live-channel="agent:{agent.pk}"' in page  # and at once by push
    alert(agent, ticket)

    fragment = client.get("/agent/notifications/count/", HTTP_HX_REQUEST="true")

    assert fragment.status_code == 200
    assert 'id="agent-alert-count"' in fragment.text
    assert ">1<" in fragment.text
    assert "<html" not in fragment.text


def test_customers_and_staff_without_a_role_see_no_count(client, outsider, ticket):
    assert "agent-alert-count" not in client.get("/").text
    client.force_login(outsider)
    assert "agent-alert-count" not in client.get("/").text
    assert client.get("/agent/notifications/count/").status_code == 403


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_only_the_agents_own_newest_first_with_links(client, agent, other_agent, make_tickets):
    first, second = make_tickets(2)
    alert(agent, first, kind=Kind.ASSIGNED, actor=other_agent)
    alert(agent, second)
    alert(other_agent, second, kind=Kind.MENTIONED)
    client.force_login(agent)

    html = client.get("/agent/notifications/").text

    assert html.count('data-testid="agent-alert"') == 2
    assert html.index("A customer replied on your request") < html.index("A request was assigned to you")
    assert f'href="/agent/tickets/{first.reference}/"' in html
    assert "(Bence)" in html
    assert "mentioned you" not in html


def test_the_list_is_paginated_and_costs_the_same_queries_for_3_and_30(client, agent, make_tickets):
    client.force_login(agent)
    client.get("/agent/notifications/")
    for ticket in make_tickets(3):
        alert(agent, ticket)
    three = queries_of(client, "/agent/notifications/")
    for ticket in make_tickets(27):
        alert(agent, ticket)
    thirty = queries_of(client, "/agent/notifications/")

    assert three == thirty
    html = client.get("/agent/notifications/").text
    assert html.count('data-testid="agent-alert"') == 25
    assert "Page 1 of 2" in html
    assert client.get("/agent/notifications/?page=2").text.count('data-testid="agent-alert"') == 5


def test_the_list_is_for_agents(client, outsider):
    assert client.get("/agent/notifications/").status_code == 302
    client.force_login(outsider)
    assert client.get("/agent/notifications/").status_code == 403


# --- marking read -----------------------------------------------------------------------------


def test_an_agent_marks_one_notification_read(client, agent, ticket):
    unread, other = alert(agent, ticket), alert(agent, ticket, kind=Kind.MENTIONED)
    client.force_login(agent)

    response = client.post(f"/agent/notifications/{unread.pk}/read/")

    assert response.status_code == 302
    unread.refresh_from_db()
    other.refresh_from_db()
    assert unread.read_at is not None
    assert other.read_at is None
    first_read_at = unread.read_at
    client.post(f"/agent/notifications/{unread.pk}/read/")  # the repeat changes nothing
    unread.refresh_from_db()
    assert unread.read_at == first_read_at


def test_an_agent_cannot_mark_a_colleagues_notification(client, agent, other_agent, ticket):
    theirs = alert(other_agent, ticket)
    client.force_login(agent)

    client.post(f"/agent/notifications/{theirs.pk}/read/")

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_the_agents_own(client, agent, other_agent, make_tickets):
    for ticket in make_tickets(3):
        alert(agent, ticket)
    theirs = alert(other_agent, ticket)
    client.force_login(agent)

    response = client.post("/agent/notifications/read/", follow=True)

    assert not AgentAlert.objects.filter(recipient=agent).unread().exists()
    assert AgentAlert.objects.filter(pk=theirs.pk).unread().exists()
    assert "All your notifications are marked as read." in response.text
    assert 'data-testid="agent-alert-count"' not in response.text


def test_marking_read_needs_a_post(client, agent, ticket):
    mine = alert(agent, ticket)
    client.force_login(agent)

    assert client.get(f"/agent/notifications/{mine.pk}/read/").status_code == 405
    assert client.get("/agent/notifications/read/").status_code == 405
    assert AgentAlert.objects.unread().count() == 1


# --- by email ---------------------------------------------------------------------------------


def test_by_default_an_assignment_comes_by_email_in_the_agents_language(agent, other_agent, ticket, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    StaffProfile.objects.for_user(other_agent).remember_language("hu")

    ticket.assign(other_agent, by=agent)

    message = Notification.objects.get(kind=Notification.Kind.AGENT_ALERT)
    assert (message.to_email, message.language) == ("bence@helpdesk.example", "hu")
    assert message.subject == f"[#{ticket.reference}] Egy kérést hozzád rendeltek"
    assert message.body_text.startswith("Szia, Bence!")
    assert f"/agent/tickets/{ticket.reference}/" in message.body_text
    assert "(Anna)" in message.body_text
    deliver_due_notifications()
    assert [sent.to for sent in mail.outbox] == [["bence@helpdesk.example"]]


def test_by_default_a_customer_reply_is_not_emailed(agent, ticket):
    ticket.assign(agent, by=agent)

    ticket.receive_customer_message(body="Any news?", channel="web")

    assert AgentAlert.objects.filter(kind=Kind.CUSTOMER_REPLIED).exists()
    assert not Notification.objects.filter(kind=Notification.Kind.AGENT_ALERT).exists()


def test_an_agent_chooses_which_notifications_come_by_email(client, agent, other_agent, ticket):
    client.force_login(agent)
    form = client.get("/agent/notifications/email/").context["form"]
    assert form["kinds"].value() == StaffProfile.default_alert_emails()

    response = client.post("/agent/notifications/email/", {"kinds": ["customer_replied"]})

    assert response.status_code == 302
    assert StaffProfile.objects.get(user=agent).alert_emails == ["customer_replied"]
    ticket.assign(agent, by=other_agent)
    assert not Notification.objects.filter(kind=Notification.Kind.AGENT_ALERT).exists()
    ticket.receive_customer_message(body="Any news?", channel="web")
    assert Notification.objects.get(kind=Notification.Kind.AGENT_ALERT).to_email == "anna@helpdesk.example"


def test_a_wrong_choice_is_refused_and_keeps_the_page(client, agent):
    client.force_login(agent)

    response = client.post("/agent/notifications/email/", {"kinds": ["assigned", "everything"]})

    assert response.status_code == 400
    assert StaffProfile.objects.for_user(agent).alert_emails == StaffProfile.default_alert_emails()


def test_an_at_risk_alert_written_twice_is_emailed_once(agent, ticket):
    for _attempt in range(2):
        agent_alerts.alert(
            [agent], Kind.AT_RISK, ticket=ticket, data={"target": "resolution"}, once_key="resolution"
        )

    assert AgentAlert.objects.count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.AGENT_ALERT).count() == 1


# --- opening the ticket reads its notifications ----------------------------------------------


def test_opening_a_ticket_marks_the_agents_notifications_about_it_read(
    client, agent, other_agent, ticket, make_ticket
):
    another = make_ticket(email="another@example.hu")
    alert(agent, ticket)
    alert(agent, ticket, kind=Kind.MENTIONED)
    alert(agent, another)
    alert(other_agent, ticket)
    client.force_login(agent)

    page = client.get(f"/agent/tickets/{ticket.reference}/").text

    # The navigation of this very page counts what is still unread: the other ticket's one.
    assert 'data-testid="agent-alert-count"><span class="visually-hidden">Unread: </span>1<' in page
    assert list(AgentAlert.objects.unread().filter(recipient=agent).values_list("ticket", flat=True)) == [
        another.pk
    ]
    assert AgentAlert.objects.unread().filter(recipient=other_agent).count() == 1  # theirs stays unread


def test_opening_a_ticket_costs_one_query_more_only_while_notifications_are_unread(
    client, agent, ticket, make_tickets
):
    client.force_login(agent)
    path = f"/agent/tickets/{ticket.reference}/"
    client.get(path)
    none_unread = queries_of(client, path)
    for other in make_tickets(3):
        alert(agent, other)
    three_elsewhere = queries_of(client, path)
    alert(agent, ticket)
    alert(agent, ticket, kind=Kind.MENTIONED)
    two_here = queries_of(client, path)

    assert three_elsewhere == two_here == none_unread + 1  # the UPDATE, whatever the number
    assert not AgentAlert.objects.unread().filter(ticket=ticket).exists()


# --- read notifications are pruned -------------------------------------------------------------


def test_read_notifications_older_than_the_setting_are_deleted_daily(settings, agent, ticket, make_ticket):
    settings.AGENT_ALERTS_KEEP_READ_DAYS = 30
    now = timezone.now()
    old_read = alert(agent, ticket, read_at=now - timedelta(days=31))
    recent_read = alert(agent, ticket, kind=Kind.MENTIONED, read_at=now - timedelta(days=29))
    old_unread = alert(agent, ticket, kind=Kind.ASSIGNED, created_at=now - timedelta(days=200))
    at_risk = make_ticket(email="risky@example.hu")
    type(at_risk).objects.filter(pk=at_risk.pk).update(sla_due_at=now + timedelta(hours=1))
    still_guarding = alert(
        agent, at_risk, kind=Kind.AT_RISK, once_key="resolution", read_at=now - timedelta(days=31)
    )

    assert tasks.prune_read_alerts() == "1 read notification(s) deleted"

    remaining = set(AgentAlert.objects.values_list("pk", flat=True))
    assert remaining == {recent_read.pk, old_unread.pk, still_guarding.pk}
    assert old_read.pk not in remaining


def test_the_pruning_is_scheduled_daily_by_a_migration():
    schedule = Schedule.objects.get(name="prune read agent notifications")
    assert schedule.func == "helpdesk.tasks.prune_read_alerts"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 24 * 60, -1)
