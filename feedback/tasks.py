"""Background tasks of the feedback app (django-q2), scheduled by its migrations."""

from feedback import snapshots, surveying


def send_due_surveys() -> str:
    """Every five minutes: schedule surveys for newly resolved tickets, send the due ones, remind."""
    scheduled = surveying.schedule_surveys()
    sent = surveying.send_due_surveys()
    reminded = surveying.send_due_reminders()
    return f"{scheduled} scheduled, {sent} sent, {reminded} reminded"


def refresh_dashboards() -> str:
    """Every ten minutes: the manager dashboard's figures for every manager and period."""
    return f"{snapshots.refresh_all()} dashboard snapshot(s)"
