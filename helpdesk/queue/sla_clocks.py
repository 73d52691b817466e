"""A ticket's two SLA targets as an agent reads them in the workspace: the first answer and the
resolution, each with its due time, the business time left (or by how much it was missed), and
its band in the colours of the queue page.

Computed from the ticket's own fields and its queue's calendar (cached), so it costs no query.
The band of the clock that runs now is the queue's (`compute_sla_band`, with its stored at-risk
time); the resolution clock, while the first answer is still awaited, is breached or on time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext

from helpdesk.models.queue_place import SlaBand

# The queue page's colours: a breached row is red, one at risk amber.
BAND_TONES = {SlaBand.ON_TIME: "success", SlaBand.AT_RISK: "warning", SlaBand.BREACHED: "danger"}


@dataclass(frozen=True)
class Ticking:
    """What the page's script needs to count a running clock down while the office stays open
    (helpdesk/static/helpdesk/sla_clocks.js): seconds from the page's rendering, never instants,
    so a browser whose clock is wrong still counts right."""

    left_seconds: int  # business time left when the page was made
    open_seconds: int  # how long the office stays open from then on: the count stops there
    risk_seconds: int | None  # when the clock turns "at risk", if it is on time now
    left_text: str  # "%(left)s of business time left", translated, for the script to fill
    overdue_text: str
    separator: str  # between "2 hours" and "10 minutes", in the reader's language
    at_risk_label: str
    breached_label: str


@dataclass(frozen=True)
class SlaClock:
    label: str
    due_at: datetime | None
    band: int
    state: str  # one short sentence: "2 hours, 10 minutes of business time left"
    ticking: Ticking | None = None

    @property
    def tone(self) -> str:
        return BAND_TONES[self.band]

    @property
    def band_label(self) -> str:
        return SlaBand(self.band).label


def business_duration(length: timedelta) -> str:
    """ "40 hours", "1 hour, 30 minutes": in hours, since a business day is not 24 of them (Django's
    own words, translated in its catalogues)."""
    minutes = int(abs(length).total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    parts = [ngettext("%(num)d hour", "%(num)d hours", hours) % {"num": hours}] if hours else []
    if minutes or not hours:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes})
    return gettext(", ").join(parts)


def sla_clocks(ticket, now: datetime | None = None) -> list[SlaClock]:
    """The first-answer and resolution clocks of a ticket; empty when its queue has no target."""
    now = now or timezone.now()
    clocks = []
    if ticket.first_response_due_at:
        clocks.append(
            _clock(
                ticket,
                now,
                label=gettext("First answer"),
                due=ticket.first_response_due_at,
                done=ticket.first_responded_at,
                done_text=(pgettext("sla", "answered on time"), pgettext("sla", "answered late")),
            )
        )
    if ticket.resolution_due_at:
        clocks.append(
            _clock(
                ticket,
                now,
                label=gettext("Resolution"),
                due=ticket.resolution_due_at,
                done=(ticket.resolved_at or ticket.closed_at) if not ticket.is_open else None,
                done_text=(pgettext("sla", "resolved on time"), pgettext("sla", "resolved late")),
            )
        )
    return clocks


def _clock(ticket, now, *, label, due, done, done_text) -> SlaClock:
    if done is not None:
        on_time = done <= due
        band = SlaBand.ON_TIME if on_time else SlaBand.BREACHED
        return SlaClock(label, due, band, done_text[0] if on_time else done_text[1])
    if not ticket.is_open:
        return SlaClock(label, due, SlaBand.ON_TIME, pgettext("sla", "stopped: the request is closed"))
    calendar = ticket.queue.calendar.calendar
    if ticket.status == ticket.Status.WAITING and (ticket.waiting_since or now) < due:
        left = calendar.between(ticket.waiting_since or now, due)
        state = gettext("paused while waiting on the customer, %(left)s of business time left") % {
            "left": business_duration(left)
        }
        return SlaClock(label, due, SlaBand.ON_TIME, state)
    if now >= due or ticket.status == ticket.Status.WAITING:
        # Missed before the pause, a target stays missed (by the time until the pause began).
        late = calendar.between(due, ticket.waiting_since or now if ticket.status == "waiting" else now)
        state = gettext("overdue by %(late)s of business time") % {"late": business_duration(late)}
        return SlaClock(label, due, SlaBand.BREACHED, state)
    band = ticket.compute_sla_band(now) if due == ticket.sla_due_at else SlaBand.ON_TIME
    left = calendar.between(now, due)
    state = gettext("%(left)s of business time left") % {"left": business_duration(left)}
    risk_at = ticket.sla_at_risk_at if due == ticket.sla_due_at and band == SlaBand.ON_TIME else None
    return SlaClock(label, due, band, state, _ticking(calendar, now, due, left, risk_at))


def _ticking(calendar, now: datetime, due: datetime, left: timedelta, risk_at: datetime | None):
    """None while the office is closed: the clock stands still until it opens."""
    open_until = _open_until(calendar, now, horizon=due + timedelta(days=1))
    if open_until is None:
        return None
    return Ticking(
        left_seconds=int(left.total_seconds()),
        open_seconds=int((open_until - now).total_seconds()),
        risk_seconds=int((risk_at - now).total_seconds()) if risk_at and risk_at > now else None,
        left_text=gettext("%(left)s of business time left"),
        overdue_text=gettext("overdue by %(late)s of business time"),
        separator=gettext(", "),
        at_risk_label=SlaBand(SlaBand.AT_RISK).label,
        breached_label=SlaBand(SlaBand.BREACHED).label,
    )


def _open_until(calendar, now: datetime, *, horizon: datetime) -> datetime | None:
    """The end of the open time that runs now (a day that closes at midnight and a next that
    opens then are one stretch), looked for no further than `horizon`."""
    until = None
    for start, end in calendar.intervals_from(now):
        if until is None and start > now:
            return None
        if until is not None and start != until:
            break
        until = end
        if until >= horizon:
            break
    return until
