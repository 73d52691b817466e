"""Background tasks run by the django-q2 worker. Each takes plain values and stays small."""

from django.conf import settings
from django.utils import timezone

from helpdesk import agent_alerts, sla_breaches
from helpdesk.mail import delivery
from helpdesk.models import WorkerHeartbeat
from helpdesk.queue import line


def record_worker_heartbeat() -> str:
    """Scheduled every minute, so a node's heartbeat also shows that scheduled tasks reach it."""
    return str(WorkerHeartbeat.beat())


def deliver_notification(notification_id: int) -> str:
    """Enqueued when a notification is written or retried; a no-op when the scan was faster."""
    return delivery.deliver(notification_id)


def deliver_due_notifications() -> int:
    """Scheduled every minute: retries, rows released from a dead worker, and anything whose
    immediate delivery was missed. Claims each row like the task above, so never sends twice."""
    return delivery.deliver_due()


def poll_mailbox() -> str:
    """Scheduled every minute: fetch new mail from IMAP_URL, when one is configured."""
    if not settings.IMAP_URL:
        return "IMAP_URL is not set"
    from helpdesk.mail import imap

    results = imap.poll(settings.IMAP_URL)
    return f"{len(results)} message(s)"


def measure_queue_pace() -> str:
    """Scheduled every ten minutes: each queue's recent pace, read by the wait estimates."""
    from helpdesk.queue import estimates

    return f"{estimates.measure_queue_paces()} queue(s)"


def check_sla() -> str:
    """Scheduled every minute: move tickets into "at risk" and "breached" as time passes, and
    alert the queue's manager of each breach once (claimed, so never twice), and tell each
    assignee once that their ticket is at risk (helpdesk.agent_alerts)."""
    now = timezone.now()
    newly_breached = line.refresh_sla_bands(now)
    alerted = sla_breaches.alert_sla_breaches(now)
    at_risk = agent_alerts.alert_at_risk_tickets(now)
    return f"{len(newly_breached)} newly breached, {len(alerted)} alerted, {at_risk} assignees told of a risk"


def send_status_links(email: str) -> str:
    """Enqueued from the status lookup page: email a customer the links of their requests."""
    from helpdesk import status_access

    return status_access.send_status_links(email)


def forget_old_attempts() -> str:
    """Scheduled every hour: rate-limit rows untouched for longer than any limit's window."""
    from helpdesk import rate_limits

    return f"{rate_limits.forget_old_attempts()} deleted"


def end_silent_chats() -> str:
    """Scheduled every minute: a chat whose customer's page stopped asking for news has ended
    (they closed it); the conversation stays on the ticket and the transcript is emailed."""
    from helpdesk.channels import chat

    return f"{chat.end_silent_chats(timezone.now())} chat(s) ended"


def make_thumbnail(attachment_id: int) -> str:
    """Enqueued when a picture is stored: its thumbnail for the timelines."""
    from helpdesk import thumbnails

    return thumbnails.make_thumbnail(attachment_id)


def run_bulk_change(change_id: int) -> str:
    """Enqueued after commit for a change of more than a hundred tickets; claimed, so run once."""
    from helpdesk import bulk

    return bulk.run(change_id)


def enforce_retention() -> str:
    """Scheduled daily: remove the personal data whose retention period is over (README,
    "Personal data"); each row is claimed by a conditional UPDATE, so a second run skips it."""
    from helpdesk.personal_data import retention

    removed = retention.enforce()
    return ", ".join(f"{kind}: {len(ids)}" for kind, ids in removed.items())


def resume_bulk_changes() -> str:
    """Scheduled every minute: a bulk change whose worker died, or whose task the broker lost,
    continues from the tickets not yet done (helpdesk.bulk.run changes none twice)."""
    from helpdesk import bulk

    return f"{len(bulk.resume_stalled())} bulk change(s) resumed"


def make_missing_thumbnails() -> str:
    """Scheduled every five minutes: the thumbnails of pictures whose task never ran (the worker
    or the broker was down when the file arrived)."""
    from helpdesk import thumbnails

    return f"{thumbnails.make_missing_thumbnails(timezone.now())} thumbnail(s) made"


def prune_read_alerts() -> str:
    """Scheduled daily: agents' notifications read more than AGENT_ALERTS_KEEP_READ_DAYS ago."""
    return f"{agent_alerts.prune_read_alerts()} read notification(s) deleted"
