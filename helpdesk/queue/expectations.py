"""What we tell a customer about when to expect an answer, in words.

The figures come from helpdesk.queue.estimates (position, the queue's pace, the opening hours); this
module only puts them into a sentence: a range today or tomorrow ("today between 10:00 and
11:30"), a deadline when it is further away ("by Tuesday 12 May, 10:30"), never minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import formats
from django.utils.translation import gettext, pgettext

from helpdesk.models import Ticket
from helpdesk.queue import estimates
from helpdesk.queue.estimates import Progress, round_up

__all__ = ["Expectation", "customer_status", "expected_first_response", "from_estimate", "round_up"]


@dataclass(frozen=True)
class Expectation:
    at: datetime  # the latest time we expect to answer by, local time in the queue's calendar
    earliest: datetime | None = None  # the start of the range, local
    today: date | None = None  # the queue's local date when the estimate was made

    def __str__(self):
        # Translators: the day and time by which an answer is expected, in Django date format.
        return formats.date_format(self.at, pgettext("expected time", "l j F, H:i"))

    @property
    def phrase(self) -> str:
        """The expected time as the end of a sentence: "You can expect a reply <phrase>."""
        start, end = self.earliest or self.at, self.at
        today = self.today or end.date()
        same_day = start.date() == end.date()
        values = {"start": _time(start), "end": _time(end), "time": _time(end)}
        if end.date() == today:
            if same_day and start < end:
                return gettext("today between %(start)s and %(end)s") % values
            return gettext("today by %(time)s") % values
        if end.date() == today + timedelta(days=1):
            if same_day and start < end:
                return gettext("tomorrow between %(start)s and %(end)s") % values
            return gettext("tomorrow by %(time)s") % values
        # Translators: a day further away, in Django date format ("Tuesday 12 May").
        day = formats.date_format(end, pgettext("expected day", "l j F"))
        return gettext("by %(day)s, %(time)s") % {"day": day, "time": _time(end)}


def _time(moment: datetime) -> str:
    return formats.time_format(moment, "H:i")


def from_estimate(estimate: estimates.Estimate, tz) -> Expectation | None:
    if estimate.wait is None:
        return None
    return Expectation(
        at=estimate.wait.latest.astimezone(tz),
        earliest=estimate.wait.earliest.astimezone(tz),
        today=estimate.now.astimezone(tz).date(),
    )


def expected_first_response(ticket: Ticket, *, now: datetime | None = None) -> Expectation | None:
    """By when the customer can expect a first answer; None once taken, answered or closed."""
    return from_estimate(estimates.estimate(ticket, now=now), ticket.queue.calendar.calendar.tz)


def customer_status(ticket: Ticket, estimate: estimates.Estimate) -> str:
    """The state of a request in the customer's words."""
    if ticket.status == Ticket.Status.CLOSED:
        return gettext("Your request is closed.")
    if ticket.status == Ticket.Status.RESOLVED:
        return gettext("Your request is resolved.")
    if ticket.status == Ticket.Status.WAITING:
        return gettext("We are waiting for your reply.")
    if estimate.progress == Progress.IN_LINE:
        return gettext("Your request is in line for an agent.")
    if estimate.progress == Progress.WITH_AGENT:
        return gettext("An agent is working on your request.")
    return gettext("We have answered and are working on your request.")
