"""Other apps hear when a ticket becomes a complaint, without the helpdesk knowing them.

The feedback app groups complaints into themes; it registers a listener here in its
AppConfig.ready, and the helpdesk calls `complaint_arrived` when a complaint is received or an
agent marks a ticket as one. Listeners run after the transaction commits (so a worker finds
the ticket) with the ticket's id only, and must be cheap: enqueue work, do not do it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

Listener = Callable[[int], None]

_listeners: list[Listener] = []


def register(listener: Listener) -> Listener:
    """Register a listener; usable as a decorator. Registering twice has no effect."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def complaint_arrived(ticket_id: int) -> None:
    for listener in _listeners:
        transaction.on_commit(lambda listener=listener: listener(ticket_id), robust=True)
