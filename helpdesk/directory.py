"""The channel directory as customers see it: each channel's hours now and its expected wait.

Hours come from the channel's business calendar (the usual week, today's hours, open now, the
next opening, public holidays and closures ahead), a walk-in desk's from its branch and the live
chat's from its queue; the expected first answer for a request sent now comes from the live line
of the channel's queue, with the same arithmetic as a ticket's own estimate
(helpdesk.queue.estimates). A fixed number of queries whatever the number of tickets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

from helpdesk.channels.chat import chat_queue
from helpdesk.models import Branch, BusinessCalendar, Channel, ChannelListing, PhoneMenuOption, Ticket
from helpdesk.models.queue_place import IN_LINE
from helpdesk.models.routing import CalendarState, DayOff
from helpdesk.queue import estimates
from helpdesk.queue.expectations import Expectation, from_estimate

DAYS_AHEAD = 60
KEY_ORDER = "123456789*0#"
MAX_DEPTH = 6


@dataclass(frozen=True)
class WeekDay:
    name: str
    hours: list[tuple[time, time]]
    is_today: bool


@dataclass(frozen=True)
class ChannelCard:
    listing: ChannelListing
    state: CalendarState | None  # None: the channel takes requests at any time
    days_off: list[DayOff] = field(default_factory=list)
    expected: Expectation | None = None
    waiting: int | None = None  # requests in line ahead of a new one
    contact: str = ""
    place: str = ""  # the branch of a walk-in desk
    week: list[WeekDay] = field(default_factory=list)  # the usual hours, Monday first


@dataclass(frozen=True)
class MenuNode:
    option: PhoneMenuOption
    children: list[MenuNode]
    path: str  # the keys to press, "2, then 1"


def _in_line_count():
    counted = (
        Ticket.objects.filter(IN_LINE, queue=OuterRef("queue_id"))
        .order_by()
        .values("queue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def listings():
    return (
        ChannelListing.objects.shown()
        .select_related("calendar", "queue__calendar")
        .prefetch_related(
            "calendar__opening_hours",
            "calendar__closures",
            "queue__calendar__opening_hours",
            "queue__calendar__closures",
        )
        .annotate(in_line=_in_line_count())
    )


def expected_for_new_request(listing: ChannelListing, now: datetime) -> Expectation | None:
    """When a request sent now through this channel can expect a first answer."""
    queue = listing.queue
    if queue is None:
        return None
    calendar = queue.calendar.calendar
    pace = estimates.pace_of(queue, now)
    position = listing.in_line + 1
    wait = estimates.wait_range(position=position, pace=pace, calendar=calendar, now=now)
    estimate = estimates.Estimate(
        progress=estimates.Progress.IN_LINE,
        now=now,
        position=position,
        wait=wait,
        is_rough=not pace.is_measured,
    )
    return from_estimate(estimate, calendar.tz)


def hours_calendars(shown: list[ChannelListing]) -> dict[int, BusinessCalendar | None]:
    """Each listing's hours, from the one place the channel itself reads them.

    The live chat is open when its queue's calendar says so (the chat page decides by it), so its
    listing shows that calendar, never one of its own.
    """
    calendars = {listing.pk: listing.calendar for listing in shown}
    chat_listings = [listing for listing in shown if listing.channel == Channel.CHAT]
    if chat_listings:
        queue = chat_queue()
        for listing in chat_listings:
            calendars[listing.pk] = queue.calendar if queue else None
    return calendars


def open_branches() -> list[Branch]:
    return list(
        Branch.objects.filter(is_active=True)
        .select_related("calendar")
        .prefetch_related("calendar__opening_hours", "calendar__closures")
    )


def usual_week(calendar: BusinessCalendar, state: CalendarState) -> list[WeekDay]:
    weekly = calendar.calendar.weekly
    today = state.today.weekday()
    return [WeekDay(str(WEEKDAYS[day]), sorted(weekly.get(day, [])), day == today) for day in range(7)]


def channel_directory(*, now: datetime | None = None, days_ahead: int = DAYS_AHEAD) -> list[ChannelCard]:
    """A card per channel; the walk-in desks get one per open branch, with its address and hours."""
    now = now or timezone.now()
    shown = list(listings())
    calendars = hours_calendars(shown)
    branches = open_branches() if any(listing.channel == Channel.WALK_IN for listing in shown) else []

    def card(listing, calendar, **fields) -> ChannelCard:
        state = calendar.state_at(now) if calendar else None
        return ChannelCard(
            listing=listing,
            state=state,
            days_off=calendar.days_off(state.today, days_ahead) if calendar else [],
            week=usual_week(calendar, state) if calendar else [],
            **fields,
        )

    cards = []
    for listing in shown:
        if listing.channel == Channel.WALK_IN:
            cards.extend(
                card(listing, branch.calendar, contact=branch.address, place=branch.name)
                for branch in branches
            )
            continue
        cards.append(
            card(
                listing,
                calendars[listing.pk],
                contact=listing.contact,
                place=listing.place,
                expected=expected_for_new_request(listing, now),
                waiting=listing.in_line if listing.queue_id else None,
            )
        )
    return cards


def phone_menu() -> list[MenuNode]:
    """The phone menu as a tree, read in one query; keys in the order a caller hears them."""
    by_parent: dict[int | None, list[PhoneMenuOption]] = {}
    for option in sorted(PhoneMenuOption.objects.all(), key=lambda option: KEY_ORDER.index(option.key)):
        by_parent.setdefault(option.parent_id, []).append(option)

    def build(parent_id: int | None, prefix: str, depth: int) -> list[MenuNode]:
        if depth > MAX_DEPTH:  # a loop someone made in the admin must not hang the page
            return []
        nodes = []
        for option in by_parent.get(parent_id, []):
            path = (
                gettext("%(keys)s, then %(key)s") % {"keys": prefix, "key": option.key}
                if prefix
                else option.key
            )
            nodes.append(MenuNode(option, build(option.pk, path, depth + 1), path))
        return nodes

    return build(None, "", 0)
