"""Background tasks of the feedback app (django-q2). Each takes ids and stays small."""

import logging

from feedback.dashboard import snapshots
from feedback.surveys import scheduling
from feedback.themes import complaints, consolidation, replies

logger = logging.getLogger(__name__)


def enqueue_grouping(ticket_id: int) -> None:
    """Called after a complaint is committed. If the broker refuses, the catch-up scan groups it."""
    from django_q.tasks import async_task

    try:
        async_task("feedback.tasks.group_complaint", ticket_id, task_name=f"complaint-{ticket_id}")
    except Exception:
        logger.exception("complaint %s not enqueued; the catch-up scan will group it", ticket_id)


def group_complaint(ticket_id: int) -> str:
    membership = complaints.group_complaint(ticket_id)
    return f"theme {membership.theme_id}" if membership else "nothing to do"


def group_missed_complaints() -> str:
    """Scheduled every minute: complaints whose grouping task never ran."""
    return f"{complaints.group_missed_complaints()} grouped"


def send_theme_reply(reply_id: int) -> str:
    return f"{replies.send(reply_id)} sent"


def send_approved_theme_replies() -> str:
    """Scheduled every minute: approved answers whose sending was interrupted or never enqueued."""
    return f"{replies.send_approved()} sent"


def send_due_surveys() -> str:
    """Every five minutes: schedule surveys for newly resolved tickets, send the due ones, remind."""
    scheduled = scheduling.schedule_surveys()
    sent = scheduling.send_due_surveys()
    reminded = scheduling.send_due_reminders()
    return f"{scheduled} scheduled, {sent} sent, {reminded} reminded"


def refresh_dashboards() -> str:
    """Every ten minutes: the manager dashboard's figures for every manager and period."""
    return f"{snapshots.refresh_all()} dashboard snapshot(s)"


def consolidate_themes() -> str:
    """Every five minutes: merge themes that became the same problem, or propose it to a manager."""
    outcome = consolidation.consolidate()
    return f"{outcome.merged} merged, {outcome.proposed} proposed"
