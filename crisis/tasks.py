"""Background tasks of the crisis app (django-q2). Each takes ids and stays small."""

from crisis import sending


def send_update(update_id: int) -> str:
    """Enqueued when an update is published; continues itself until every message is written."""
    return sending.send(update_id)


def resume_update_sending() -> str:
    """Scheduled every minute: picks up sending that a stopped worker left unfinished."""
    unfinished = list(sending.unfinished_updates())
    for update_id in unfinished:
        sending.enqueue(update_id)
    return f"{len(unfinished)} update(s) resumed"
