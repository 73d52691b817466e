"""Background tasks of the crisis app, run by the django-q2 worker. Each takes ids and stays small."""

from crisis import sending
from crisis.compensation import handover


def hand_over_overdue_proposals() -> str:
    """Scheduled every five minutes: undecided proposals past their deadline go to the next
    manager and show as overdue; none is ever approved by the clock."""
    return f"{len(handover.hand_over_overdue())} handed over"


def send_update(update_id: int) -> str:
    """Enqueued when an update is published; continues itself until every message is written."""
    return sending.send(update_id)


def resume_update_sending() -> str:
    """Scheduled every minute: picks up sending that a stopped worker left unfinished."""
    unfinished = list(sending.unfinished_updates())
    for update_id in unfinished:
        sending.enqueue(update_id)
    return f"{len(unfinished)} update(s) resumed"
