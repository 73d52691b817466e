"""Background tasks of the crisis app, run by the django-q2 worker."""

from crisis import compensation


def escalate_overdue_compensation() -> str:
    """Scheduled every five minutes: undecided proposals past their deadline go to the next
    manager and show as overdue; none is ever approved by the clock."""
    return f"{len(compensation.escalate_overdue())} escalated"
