"""What we tell a customer about when to expect an answer.

Shown as a concrete local time inside opening hours, rounded up to the quarter hour: an
estimate should never promise earlier than we can deliver, nor pretend minute precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats
from django.utils.translation import pgettext

from helpdesk.models import Ticket

ROUND_TO = timedelta(minutes=15)


@dataclass(frozen=True)
class Expectation:
    at: datetime  # local time in the queue's calendar

    def __str__(self):
        # Translators: the day and time by which an answer is expected, in Django date format.
        return formats.date_format(self.at, pgettext("expected time", "l j F, H:i"))


def round_up(moment: datetime, step: timedelta = ROUND_TO) -> datetime:
    seconds = step.total_seconds()
    remainder = (moment.timestamp() % seconds) if seconds else 0
    return moment + timedelta(seconds=seconds - remainder) if remainder else moment


def expected_first_response(ticket: Ticket) -> Expectation | None:
    """By when the customer can expect a real answer (the SLA first-response due time)."""
    if ticket.first_response_due_at is None:
        return None
    tz = ticket.queue.calendar.calendar.tz
    return Expectation(at=round_up(ticket.first_response_due_at).astimezone(tz))
