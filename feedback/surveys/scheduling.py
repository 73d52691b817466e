"""The worker's survey scan: schedule surveys for resolved tickets, send the due ones, remind once.

Work due at a time is a scheduled scan for due rows (feedback.tasks.send_due_surveys), never a
sleeping task. Each survey is claimed with SELECT … FOR UPDATE SKIP LOCKED and a status check, so
two scans at once send each survey once; the unique constraint gives each ticket one survey.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from feedback.models import Survey, SurveySettings
from feedback.models.surveys import LOOKBACK
from feedback.surveys import emails
from feedback.surveys.compensation import had_compensation
from helpdesk.models import Queue, Ticket

BATCH = 200


def schedule_surveys(now: datetime | None = None, *, batch: int = BATCH) -> int:
    """Create the follow-up of every recently resolved ticket that has none; returns how many."""
    now = now or timezone.now()
    has_survey = Survey.objects.filter(ticket=OuterRef("pk"), kind=Survey.Kind.FOLLOW_UP)
    tickets = list(
        Ticket.objects.filter(
            status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED], resolved_at__gte=now - LOOKBACK
        )
        .filter(~Exists(has_survey))
        .select_related("customer")
        .order_by("resolved_at", "pk")[:batch]
    )
    configs = queue_settings({ticket.queue_id for ticket in tickets})
    surveys = [new_follow_up(ticket, configs[ticket.queue_id]) for ticket in tickets]
    # ignore_conflicts: a scan running at the same time may have created some of them already.
    Survey.objects.bulk_create(surveys, ignore_conflicts=True)
    reschedule_reopened(now)
    return len(surveys)


def queue_settings(queue_ids) -> dict[int, SurveySettings]:
    queues = Queue.objects.filter(pk__in=queue_ids).with_calendar_details().select_related("survey_settings")
    return {queue.pk: SurveySettings.for_queue(queue) for queue in queues}


def new_follow_up(ticket: Ticket, config: SurveySettings) -> Survey:
    survey = Survey(
        kind=Survey.Kind.FOLLOW_UP,
        ticket=ticket,
        customer=ticket.customer,
        queue_id=ticket.queue_id,
        channel=ticket.channel,
        language=ticket.customer.language or ticket.language,
        asks_about_compensation=had_compensation(ticket),
    )
    if not config.is_enabled:
        survey.status, survey.skip_reason = Survey.Status.SKIPPED, Survey.SkipReason.DISABLED
    else:
        survey.due_at = config.due_after(ticket.resolved_at)
    return survey


def reschedule_reopened(now: datetime) -> None:
    """Surveys held back while their ticket was open again get a due time once it is resolved."""
    waiting = Survey.objects.filter(
        status=Survey.Status.SCHEDULED, due_at__isnull=True, ticket__resolved_at__isnull=False
    ).select_related("ticket")[:BATCH]
    for survey in waiting:
        config = SurveySettings.for_queue(
            Queue.objects.with_calendar_details().get(pk=survey.ticket.queue_id)
        )
        Survey.objects.filter(pk=survey.pk, due_at__isnull=True).update(
            due_at=config.due_after(survey.ticket.resolved_at)
        )


def send_due_surveys(now: datetime | None = None, *, batch: int = BATCH) -> int:
    """Send every due survey (or record why not); returns how many went out."""
    now = now or timezone.now()
    due = list(Survey.objects.due(now).order_by("due_at", "pk").values_list("pk", flat=True)[:batch])
    return sum(send_survey(survey_id, now) for survey_id in due)


def send_survey(survey_id: int, now: datetime) -> bool:
    with transaction.atomic():
        survey = claimed(Survey.objects.due(now), survey_id)
        if survey is None:
            return False
        if survey.ticket.is_open:
            survey.wait_for_resolution()
            return False
        reason = survey.reason_not_to_send(now)
        if reason:
            survey.skip(reason)
            return False
        survey.mark_sent(now)
        emails.survey_invitation(survey)
    return True


def send_due_reminders(now: datetime | None = None, *, batch: int = BATCH) -> int:
    now = now or timezone.now()
    due = list(
        Survey.objects.reminder_due(now)
        .order_by("reminder_due_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(send_reminder(survey_id, now) for survey_id in due)


def send_reminder(survey_id: int, now: datetime) -> bool:
    with transaction.atomic():
        survey = claimed(Survey.objects.reminder_due(now), survey_id)
        if survey is None:
            return False
        survey.reminded_at = now
        survey.save(update_fields=["reminded_at"])
        if survey.customer.email and not has_opted_out(survey):
            emails.survey_reminder(survey)
            return True
    return False


def has_opted_out(survey: Survey) -> bool:
    return Survey.objects.filter(pk=survey.pk, customer__survey_opt_out__isnull=False).exists()


def claimed(candidates, survey_id: int) -> Survey | None:
    """Lock one survey that is still in the state the scan wants; None if another worker has it."""
    return (
        candidates.filter(pk=survey_id)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("ticket__queue", "customer")
        .first()
    )


def follow_up_incident(incident, tickets) -> int:
    """After an incident: ask each affected customer once how it was handled (due at once)."""
    now = timezone.now()
    surveys, seen = [], set()
    for ticket in tickets.select_related("customer").order_by("pk"):
        if ticket.customer_id in seen:
            continue
        seen.add(ticket.customer_id)
        surveys.append(
            Survey(
                kind=Survey.Kind.INCIDENT,
                ticket=ticket,
                customer=ticket.customer,
                queue_id=ticket.queue_id,
                channel=ticket.channel,
                incident=incident,
                language=ticket.customer.language or ticket.language,
                asks_about_compensation=had_compensation(ticket),
                due_at=now,
            )
        )
    Survey.objects.bulk_create(surveys, ignore_conflicts=True)
    return len(surveys)


__all__ = ["follow_up_incident", "schedule_surveys", "send_due_reminders", "send_due_surveys"]
