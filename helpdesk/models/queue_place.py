"""Where a ticket stands in its queue: one rule, stored so the database can order and count.

The rule (README, "The queue order"): tickets whose SLA is breached come first, then those at
risk of breaching, then by priority, then by arrival. It is stored as one number per ticket,
`queue_key`, kept current by `Ticket.save()` and by the worker's SLA scan (time passing moves
tickets from "on time" to "at risk" to "breached"), so every list, take-next, a customer's
position and the lobby screen order by the same indexed column and agree with each other.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import formats, timezone, translation
from django.utils.timesince import timesince
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from helpdesk.models import fixed_values  # noqa: F401 (registers the one_of lookup)
from helpdesk.models.routing import Priority

# A ticket is "at risk" when this share of its target's business time is left (or less).
AT_RISK_SHARE = 0.25

# queue_key = (2 - band) * BAND_WEIGHT + (100 - priority) * PRIORITY_WEIGHT + arrival in ms,
# less LIVE_WEIGHT while the customer waits on a live channel (a chat): they come before every
# written request. Arrival in milliseconds since 1970 stays below 10^13 until the year 2286.
LIVE_WEIGHT = 10**17
BAND_WEIGHT = 10**16
PRIORITY_WEIGHT = 10**13


class SlaBand(models.IntegerChoices):
    ON_TIME = 0, _("On time")
    AT_RISK = 1, _("At risk")
    BREACHED = 2, _("Breached")


def queue_key_expression(band: int):
    """The formula of `QueuePlace.compute_queue_key` for a set-based UPDATE to `band`.

    The constants are 64-bit: with parameters bound on the server (prepared statements), a bare
    integer beside the priority column would be sent as a 32-bit one, and overflow.
    """

    def big(number: int) -> Value:
        return Value(number, output_field=models.BigIntegerField())

    live = Case(When(on_live_channel=True, then=big(-LIVE_WEIGHT)), default=big(0))
    return (
        live
        + big((2 - band) * BAND_WEIGHT)
        + (big(100) - F("priority")) * big(PRIORITY_WEIGHT)
        + F("arrival_ms")
    )


@lru_cache(maxsize=1024)
def short_date(day: date, language: str) -> str:
    """The day in the language's short date format, made once per day and language: a queue page
    shows 25 tickets of a few days, each through Django's date formatter before."""
    with translation.override(language):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


# Queries use `one_of` (helpdesk.models.fixed_values) so that PostgreSQL may plan them once and
# still use the partial indexes defined on these conditions; the indexes are defined with `in`
# (the same SQL), see index_condition().
IN_LINE = Q(
    status__one_of=["new", "open"],
    first_responded_at__isnull=True,
    assignee__isnull=True,
    merged_into__isnull=True,
)
SLA_CLOCK_RUNNING = Q(status__one_of=["new", "open"], sla_due_at__isnull=False)


def index_condition(condition: Q) -> Q:
    """A query condition as an index's: Django writes the index's SQL with the values in it, and
    the migrations hold the conditions with `in`."""
    return Q(*[(field.replace("__one_of", "__in"), value) for field, value in condition.children])


@dataclass(frozen=True)
class PlaceReason:
    """One short, translated reason why a ticket stands where it stands in the line."""

    text: str
    tone: str  # "danger", "warning", "info" or "secondary": how loudly the list shows it


class QueuePlace(models.Model):
    """Fields and rules of a ticket's place in line (mixed into Ticket)."""

    sla_due_at = models.DateTimeField(
        _("next SLA due time"),
        null=True,
        blank=True,
        help_text=_("First response until answered, then resolution."),
    )
    sla_at_risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    sla_band = models.PositiveSmallIntegerField(_("SLA"), choices=SlaBand, default=SlaBand.ON_TIME)
    sla_breach_notified_at = models.DateTimeField(null=True, blank=True)
    arrival_ms = models.BigIntegerField(default=0, editable=False)
    # The customer is on a live channel now (a chat page open): served before written requests.
    on_live_channel = models.BooleanField(
        _("customer waiting on a live channel"), default=False, editable=False
    )
    queue_key = models.BigIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    # --- the SLA clock that matters now ---------------------------------------------------

    def refresh_sla_clock(self) -> None:
        """Point the SLA clock at the next target: the first response, then the resolution."""
        if self.first_responded_at is None and self.first_response_due_at:
            due, target_start = self.first_response_due_at, "first_response"
        else:
            due, target_start = self.resolution_due_at, "resolution"
        self.sla_due_at = due
        self.sla_at_risk_at = self._at_risk_from(due, target_start) if due else None

    def _at_risk_from(self, due: datetime, target: str) -> datetime:
        sla = self.queue.sla_for(self.priority)
        duration = getattr(sla, target, None) if sla else None
        if not duration:
            return due
        return self.queue.calendar.calendar.subtract(due, duration * AT_RISK_SHARE)

    def compute_sla_band(self, now: datetime | None = None) -> int:
        if self.status not in ("new", "open") or self.sla_due_at is None:
            return SlaBand.ON_TIME  # paused (waiting on the customer) or finished
        now = now or timezone.now()
        if now >= self.sla_due_at:
            return SlaBand.BREACHED
        if self.sla_at_risk_at and now >= self.sla_at_risk_at:
            return SlaBand.AT_RISK
        return SlaBand.ON_TIME

    def compute_queue_key(self) -> int:
        live = LIVE_WEIGHT if self.on_live_channel else 0
        return (
            (2 - self.sla_band) * BAND_WEIGHT
            + (100 - self.priority) * PRIORITY_WEIGHT
            + self.arrival_ms
            - live
        )

    def leave_live_channel(self) -> None:
        """The customer is no longer on the live channel (the chat ended): from now on the
        request waits in line like a written one."""
        if self.on_live_channel:
            self.on_live_channel = False
            self.save(update_fields=["on_live_channel", "updated_at"])

    def refresh_queue_place(self) -> list[str]:
        """Recompute band and key from the current fields; returns the fields it sets."""
        if not self.arrival_ms and self.created_at:
            self.arrival_ms = int(self.created_at.timestamp() * 1000)
        self.sla_band = self.compute_sla_band()
        self.queue_key = self.compute_queue_key()
        return ["arrival_ms", "sla_band", "queue_key", "sla_due_at", "sla_at_risk_at"]

    # --- explaining the order to an agent -------------------------------------------------

    @property
    def is_in_line(self) -> bool:
        return (
            self.status in ("new", "open")
            and self.first_responded_at is None
            and self.assignee_id is None
            and self.merged_into_id is None
        )

    def place_reasons(self, now: datetime | None = None) -> list[PlaceReason]:
        """Why this ticket stands where it stands, in the order the rule weighs them.

        Computed from the row's own fields (and its queue's calendar for local times), so a
        list of tickets explains itself without further queries.
        """
        now = now or timezone.now()
        reasons = []
        if self.on_live_channel and self.is_in_line:
            reasons.append(PlaceReason(gettext("live chat: the customer is waiting on the page"), "danger"))
        band = self.compute_sla_band(now)
        if self.status == "waiting" and self.waiting_since:
            since = self._local_time(self.waiting_since, now)
            reasons.append(
                PlaceReason(gettext("waiting on the customer since %(time)s") % {"time": since}, "info")
            )
        elif band == SlaBand.BREACHED:
            ago = timesince(self.sla_due_at, now, depth=1)
            reasons.append(PlaceReason(gettext("SLA breached %(time)s ago") % {"time": ago}, "danger"))
        elif band == SlaBand.AT_RISK:
            due = self._local_time(self.sla_due_at, now)
            text = (
                gettext("at risk: first answer due %(time)s")
                if self.first_responded_at is None
                else gettext("at risk: resolution due %(time)s")
            )
            reasons.append(PlaceReason(text % {"time": due}, "warning"))
        if self.priority != Priority.NORMAL:  # normal priority moves nobody up or down
            label = self.get_priority_display().lower()
            reasons.append(
                PlaceReason(
                    pgettext("queue reason", "priority %(priority)s") % {"priority": label},
                    "danger" if self.priority >= Priority.HIGH else "secondary",
                )
            )
        arrived = self._local_time(self.created_at, now)
        reasons.append(PlaceReason(gettext("arrived %(time)s") % {"time": arrived}, "secondary"))
        return reasons

    def _local_time(self, moment: datetime, now: datetime) -> str:
        """ "09:12" today in the queue's time zone, else a short date and time."""
        tz = ZoneInfo(self.queue.calendar.time_zone)
        local = moment.astimezone(tz)
        clock = local.strftime("%H:%M")  # Django's "H:i", the same in every language
        if local.date() == now.astimezone(tz).date():
            return clock
        return f"{short_date(local.date(), translation.get_language())} {clock}"
