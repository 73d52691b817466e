"""Surveys go out once per resolved ticket, a set number of working days later, inside opening
hours; never to a customer who opted out or was asked recently; one reminder."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse

from crisis import hooks
from feedback import tasks
from feedback.models import Survey, SurveyOptOut, SurveySettings
from feedback.surveys import scheduling
from helpdesk.mail.delivery import build_message
from helpdesk.models import Notification
from tests.feedback.conftest import MONDAY_10

pytestmark = pytest.mark.django_db

WEDNESDAY_10 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def survey_mails():
    return Notification.objects.filter(kind=Notification.Kind.SURVEY)


def test_resolved_ticket_gets_one_survey_two_working_days_later(resolved_ticket, time_machine):
    tasks.send_due_surveys()
    survey = Survey.objects.get(ticket=resolved_ticket)
    assert survey.status == Survey.Status.SCHEDULED
    assert survey.due_at == WEDNESDAY_10

    time_machine.move_to(WEDNESDAY_10 - timedelta(minutes=1), tick=False)
    tasks.send_due_surveys()
    assert not survey_mails().exists()

    time_machine.move_to(WEDNESDAY_10, tick=False)
    tasks.send_due_surveys()
    tasks.send_due_surveys()  # the scan runs again (or twice at once): still one survey, one mail

    assert Survey.objects.filter(ticket=resolved_ticket).count() == 1
    assert survey_mails().count() == 1
    survey.refresh_from_db()
    assert survey.status == Survey.Status.SENT
    assert survey.sent_at == WEDNESDAY_10


def test_a_ticket_can_hold_only_one_follow_up(resolved_ticket):
    scheduling.schedule_surveys()
    scheduling.schedule_surveys()
    assert Survey.objects.filter(ticket=resolved_ticket).count() == 1
    with pytest.raises(IntegrityError):
        Survey.objects.create(ticket=resolved_ticket, customer=resolved_ticket.customer, language="hu")


def test_claimed_survey_is_sent_once_even_when_asked_twice(resolved_ticket, time_machine):
    scheduling.schedule_surveys()
    survey = Survey.objects.get(ticket=resolved_ticket)
    time_machine.move_to(survey.due_at, tick=False)
    assert scheduling.send_survey(survey.pk, survey.due_at) is True
    assert scheduling.send_survey(survey.pk, survey.due_at) is False
    assert survey_mails().count() == 1


@pytest.mark.parametrize(
    ("resolved_at", "due_at"),
    [
        # Friday 16:30 -> Tuesday 16:30 (Monday and Tuesday are the two working days).
        (datetime(2026, 3, 6, 15, 30, tzinfo=UTC), datetime(2026, 3, 10, 15, 30, tzinfo=UTC)),
        # Friday 18:00, after closing -> Tuesday 18:00 is closed too -> Wednesday 08:00.
        (datetime(2026, 3, 6, 17, 0, tzinfo=UTC), datetime(2026, 3, 11, 7, 0, tzinfo=UTC)),
        # Thursday 22 October (Friday 23 October is a Hungarian holiday) -> Tuesday 27 October.
        (datetime(2026, 10, 22, 8, 0, tzinfo=UTC), datetime(2026, 10, 27, 9, 0, tzinfo=UTC)),
    ],
)
def test_due_time_counts_working_days_and_lands_inside_opening_hours(
    make_ticket, agent, time_machine, resolved_at, due_at
):
    time_machine.move_to(resolved_at, tick=False)
    ticket = make_ticket()
    ticket.resolve(by=agent)
    scheduling.schedule_surveys()
    assert Survey.objects.get(ticket=ticket).due_at == due_at


def test_the_delay_is_set_per_queue(make_ticket, agent, queue, time_machine):
    SurveySettings.objects.create(queue=queue, delay_days=0)
    time_machine.move_to(datetime(2026, 3, 6, 17, 0, tzinfo=UTC), tick=False)  # Friday after closing
    ticket = make_ticket()
    ticket.resolve(by=agent)
    scheduling.schedule_surveys()
    # No delay: the next opening, Monday 08:00 Budapest.
    assert Survey.objects.get(ticket=ticket).due_at == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)


def test_no_survey_when_the_queue_has_them_switched_off(resolved_ticket, queue):
    SurveySettings.objects.create(queue=queue, is_enabled=False)
    tasks.send_due_surveys()
    survey = Survey.objects.get(ticket=resolved_ticket)
    assert (survey.status, survey.skip_reason) == (Survey.Status.SKIPPED, Survey.SkipReason.DISABLED)


def test_opted_out_customer_never_gets_a_survey(resolved_ticket, make_ticket, agent, time_machine):
    SurveyOptOut.record(resolved_ticket.customer, via=SurveyOptOut.Via.PAGE)
    time_machine.move_to(WEDNESDAY_10, tick=False)
    tasks.send_due_surveys()
    assert Survey.objects.get(ticket=resolved_ticket).skip_reason == Survey.SkipReason.OPTED_OUT

    # Months later, another request of the same customer: still nothing.
    time_machine.move_to(datetime(2026, 9, 1, 9, 0, tzinfo=UTC), tick=False)
    later = make_ticket(subject="Another question")
    later.resolve(by=agent)
    time_machine.move_to(datetime(2026, 9, 10, 9, 0, tzinfo=UTC), tick=False)
    tasks.send_due_surveys()
    assert Survey.objects.get(ticket=later).skip_reason == Survey.SkipReason.OPTED_OUT
    assert not survey_mails().exists()


def test_opting_out_drops_a_survey_already_scheduled(resolved_ticket):
    scheduling.schedule_surveys()
    SurveyOptOut.record(resolved_ticket.customer, via=SurveyOptOut.Via.ONE_CLICK)
    assert Survey.objects.get(ticket=resolved_ticket).status == Survey.Status.SKIPPED


def test_quiet_period_holds_then_lets_the_next_survey_through(sent_survey, make_ticket, agent, time_machine):
    # Ten days later the same customer has another request resolved: inside the 30-day quiet period.
    time_machine.move_to(MONDAY_10 + timedelta(days=10), tick=False)
    second = make_ticket(subject="Second question")
    second.resolve(by=agent)
    time_machine.move_to(MONDAY_10 + timedelta(days=14), tick=False)
    tasks.send_due_surveys()
    assert Survey.objects.get(ticket=second).skip_reason == Survey.SkipReason.QUIET_PERIOD

    # After the quiet period, a third one is asked again.
    time_machine.move_to(MONDAY_10 + timedelta(days=40), tick=False)
    third = make_ticket(subject="Third question")
    third.resolve(by=agent)
    time_machine.move_to(MONDAY_10 + timedelta(days=44), tick=False)
    tasks.send_due_surveys()
    assert Survey.objects.get(ticket=third).status == Survey.Status.SENT


def test_one_reminder_when_unanswered(sent_survey, time_machine):
    # Sent Wednesday 10:00; three working days later is Monday 10:00.
    assert sent_survey.reminder_due_at == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    time_machine.move_to(sent_survey.reminder_due_at, tick=False)
    tasks.send_due_surveys()
    time_machine.move_to(sent_survey.reminder_due_at + timedelta(days=10), tick=False)
    tasks.send_due_surveys()
    assert survey_mails().count() == 2
    sent_survey.refresh_from_db()
    assert sent_survey.reminded_at == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def test_no_reminder_after_an_answer(sent_survey, time_machine):
    sent_survey.answer(rating=5, solved=True)
    time_machine.move_to(sent_survey.reminder_due_at, tick=False)
    tasks.send_due_surveys()
    assert survey_mails().count() == 1


def test_reopened_ticket_waits_and_is_asked_after_its_new_resolution(resolved_ticket, agent, time_machine):
    scheduling.schedule_surveys()
    resolved_ticket.reopen(by=agent)
    time_machine.move_to(WEDNESDAY_10, tick=False)
    tasks.send_due_surveys()
    survey = Survey.objects.get(ticket=resolved_ticket)
    assert (survey.status, survey.due_at) == (Survey.Status.SCHEDULED, None)
    assert not survey_mails().exists()

    resolved_ticket.resolve(by=agent)  # Wednesday 10:00 -> asked Friday 10:00
    tasks.send_due_surveys()
    survey.refresh_from_db()
    assert survey.due_at == datetime(2026, 3, 6, 9, 0, tzinfo=UTC)


def test_invitation_is_in_the_customers_language_with_one_click_opt_out(sent_survey):
    notification = survey_mails().get()
    assert notification.language == "hu"
    survey_url = reverse("feedback:survey", args=[sent_survey.token])
    for rating in range(1, 6):
        assert f"{survey_url}?rating={rating}" in notification.body_html
    assert reverse("feedback:survey-opt-out", args=[sent_survey.token]) in notification.body_text
    headers = build_message(notification).extra_headers
    assert headers["List-Unsubscribe"].endswith(
        reverse("feedback:survey-unsubscribe", args=[sent_survey.token]) + ">"
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_compensation_question_without_a_granted_compensation(sent_survey):
    assert sent_survey.asks_about_compensation is False


def test_a_compensation_granted_on_the_spot_adds_the_question(resolved_ticket, agent, manager):
    from decimal import Decimal

    from crisis.compensation import services
    from crisis.models import GrantLimit, Incident, IncidentTicket

    incident = Incident.objects.create(title="Double charge", declared_by=manager)
    IncidentTicket.objects.create(incident=incident, ticket=resolved_ticket, via=IncidentTicket.Via.AGENT)
    GrantLimit.objects.create(
        agent=agent, kind="bill_credit", currency="HUF", max_amount=Decimal(5000), set_by=manager
    )
    offer = services.Offer(
        kind="bill_credit", amount=Decimal(2000), currency="HUF", justification="Charged twice."
    )
    services.propose(ticket=resolved_ticket, incident=incident, offer=offer, by=agent)

    scheduling.schedule_surveys()

    assert Survey.objects.get(ticket=resolved_ticket).asks_about_compensation is True


def test_incident_resolution_asks_each_affected_customer_once(
    make_ticket, agent, manager, time_machine, django_capture_on_commit_callbacks
):
    from crisis.models import Incident

    time_machine.move_to(MONDAY_10, tick=False)
    first = make_ticket(subject="No internet")
    again = make_ticket(subject="Still no internet")  # the same customer
    other = make_ticket(subject="Offline", email="piotr@example.pl", name="Piotr", language="pl")
    for ticket in (first, again, other):
        ticket.resolve(by=agent)
    incident = Incident.objects.create(title="Network outage", declared_by=manager)
    tickets = type(first).objects.filter(pk__in=[first.pk, again.pk, other.pk])

    with django_capture_on_commit_callbacks(execute=True):
        hooks.INCIDENT_RESOLVED.call_on_commit(incident, tickets)
        hooks.INCIDENT_RESOLVED.call_on_commit(incident, tickets)  # announced twice
    scheduling.send_due_surveys()

    follow_ups = Survey.objects.filter(kind=Survey.Kind.INCIDENT, incident=incident)
    assert follow_ups.count() == 2
    assert survey_mails().count() == 2
    assert {survey.language for survey in follow_ups} == {"hu", "pl"}
