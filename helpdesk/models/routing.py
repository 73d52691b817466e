"""Where a request goes and when it is due: calendars, queues, categories, SLA targets."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.business_time import Calendar
from helpdesk.languages import Language, field_in_language
from helpdesk.public_holidays import NationalDays

# How long a calendar's hours and closures stay in the cache; a change makes a new entry at once.
DETAILS_CACHED_FOR = 24 * 3600


class Priority(models.IntegerChoices):
    # Numbers, so the database orders by priority directly (higher first).
    LOW = 10, _("Low")
    NORMAL = 20, _("Normal")
    HIGH = 30, _("High")
    URGENT = 40, _("Urgent")


class BusinessCalendar(models.Model):
    class Country(models.TextChoices):
        HUNGARY = "HU", _("Hungary")
        POLAND = "PL", _("Poland")

    name = models.CharField(_("name"), max_length=100, unique=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=Country,
        help_text=_("Its national public holidays close the queue (and Hungarian bridge days open it)."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Budapest")
    # Raised by every change to the calendar's opening hours or closures (see CalendarDetail):
    # it names the cached copy of those, so a page reads them without a query and never stale.
    details_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self):
        return self.name

    def clean(self):
        try:
            ZoneInfo(self.time_zone)
        except (KeyError, ValueError):
            raise ValidationError({"time_zone": _("Unknown time zone.")}) from None

    @cached_property
    def national_days(self) -> NationalDays:
        return NationalDays(self.country)

    @cached_property
    def calendar(self) -> Calendar:
        """The pure business-time calendar.

        Its opening hours and closures come from the prefetched rows, else from the cache (no
        query), else from two queries that fill the cache; the national holidays of each year are
        built once per process (helpdesk.public_holidays).
        """
        weekly, closures = self._details()
        national = self.national_days
        return Calendar(
            tz=ZoneInfo(self.time_zone),
            weekly=weekly,
            is_holiday=national.is_holiday,
            extra_working_days=national,
            replaced_day=national.replaced_day,
            closures=closures,
        )

    def _details(self) -> tuple[dict[int, list[tuple[time, time]]], tuple[tuple[datetime, datetime], ...]]:
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "opening_hours" in prefetched and "closures" in prefetched:
            return self._read_details()
        key = f"calendar-details:{self.pk}:{self.details_version}"
        details = cache.get(key)
        if details is None:
            details = self._read_details()
            cache.set(key, details, timeout=DETAILS_CACHED_FOR)
        return details

    def _read_details(self):
        weekly: dict[int, list[tuple[time, time]]] = {}
        for hours in sorted(self.opening_hours.all(), key=lambda hours: (hours.weekday, hours.opens)):
            weekly.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
        closures = tuple(sorted((closure.starts_at, closure.ends_at) for closure in self.closures.all()))
        return weekly, closures

    @classmethod
    def details_changed(cls, calendar_ids) -> None:
        """A new version of these calendars' hours and closures: cached copies are left unused."""
        ids = {pk for pk in calendar_ids if pk is not None}
        if ids:
            cls.objects.filter(pk__in=ids).update(details_version=models.F("details_version") + 1)

    def holidays_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Public holidays between two dates (inclusive), named in the active language."""
        return self.national_days.holidays_between(start, end)

    def working_days_between(self, start: date, end: date) -> list[tuple[date, date | None]]:
        """Weekend days worked instead of a bridge day off, with the day off each pays for."""
        return self.national_days.working_days_between(start, end)

    def closures_between(self, start: datetime, end: datetime) -> list["Closure"]:
        return [
            closure for closure in self.closures.all() if closure.ends_at > start and closure.starts_at < end
        ]

    def state_at(self, moment: datetime) -> "CalendarState":
        """Today's hours, open now or not, and the next opening, for display."""
        calendar = self.calendar
        local = moment.astimezone(calendar.tz)
        state = calendar.state_at(moment)
        return CalendarState(
            today=local.date(),
            hours_today=calendar.local_intervals_on(local.date()),
            is_open=state.is_open,
            closes_at=state.closes_at.astimezone(calendar.tz) if state.closes_at else None,
            next_opening=state.next_opening.astimezone(calendar.tz) if state.next_opening else None,
        )

    def days_off(self, start: date, days: int) -> list["DayOff"]:
        """Public holidays and closures in the `days` days from `start`, in date order."""
        end = start + timedelta(days=days)
        tz = ZoneInfo(self.time_zone)
        window_start = datetime.combine(start, time(0), tzinfo=tz)
        window_end = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
        found = [DayOff(day, day, name, is_holiday=True) for day, name in self.holidays_between(start, end)]
        found.extend(
            DayOff(
                closure.starts_at.astimezone(tz).date(),
                (closure.ends_at - timedelta(microseconds=1)).astimezone(tz).date(),
                closure.reason,
                is_holiday=False,
                starts_at=closure.starts_at.astimezone(tz),
                ends_at=closure.ends_at.astimezone(tz),
            )
            for closure in self.closures_between(window_start, window_end)
        )
        return sorted(found, key=lambda day_off: (day_off.first_day, not day_off.is_holiday))


@dataclass(frozen=True)
class CalendarState:
    today: date
    hours_today: list[tuple[datetime, datetime]]  # local, closures cut out
    is_open: bool
    closes_at: datetime | None
    next_opening: datetime | None


@dataclass(frozen=True)
class DayOff:
    first_day: date
    last_day: date
    name: str
    is_holiday: bool
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class CalendarDetailsQuerySet(models.QuerySet):
    """Opening hours and closures: every bulk change raises its calendars' details_version."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        BusinessCalendar.details_changed(obj.calendar_id for obj in created)
        return created

    def update(self, **kwargs):
        calendars = set(self.values_list("calendar_id", flat=True))
        updated = super().update(**kwargs)
        moved_to = kwargs.get("calendar_id", getattr(kwargs.get("calendar"), "pk", kwargs.get("calendar")))
        BusinessCalendar.details_changed(calendars | {moved_to})
        return updated

    def delete(self):
        calendars = set(self.values_list("calendar_id", flat=True))
        deleted = super().delete()
        BusinessCalendar.details_changed(calendars)
        return deleted


class CalendarDetail(models.Model):
    """What opening hours and closures share: saving or deleting one raises its calendar's version."""

    objects = CalendarDetailsQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        BusinessCalendar.details_changed([self.calendar_id])

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        BusinessCalendar.details_changed([self.calendar_id])
        return deleted


class OpeningHours(CalendarDetail):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight at the end of the day."))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.closes != time(0) and self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})


class Closure(CalendarDetail):
    """A one-off closure on top of the national holidays: a training day, a move, a strike."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="closures")
    starts_at = models.DateTimeField(_("closed from"))
    ends_at = models.DateTimeField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="closure_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.reason} ({self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M})"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("A closure must end after it starts; check the dates and times.")}
            )


class QueueQuerySet(models.QuerySet):
    def for_chat(self) -> "Queue | None":
        """The queue that takes live chats, else the default queue, else the first one."""
        return self.order_by("-serves_chat", "-is_default", "pk").first()

    def with_calendar_details(self):
        """Queues with all their calendar needs for "are we open", days off and SLA targets."""
        return self.select_related("calendar", "manager").prefetch_related(
            "sla_targets", "calendar__opening_hours", "calendar__closures"
        )


class Queue(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language,
        blank=True,
        help_text=_("Leave empty for a queue that serves every language."),
    )
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="queues", verbose_name=_("calendar")
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="managed_queues",
        verbose_name=_("manager"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="queues", verbose_name=_("agents")
    )
    is_default = models.BooleanField(
        _("default queue"), default=False, help_text=_("Receives requests that no category routes.")
    )
    serves_chat = models.BooleanField(
        _("live chat queue"),
        default=False,
        help_text=_("Receives live chats; its calendar sets the chat's opening hours."),
    )

    # The queue's recent pace, measured by the worker: first answers per business hour.
    pace_per_hour = models.FloatField(_("answers per business hour"), null=True, blank=True, editable=False)
    pace_sample = models.PositiveIntegerField(default=0, editable=False)
    pace_measured_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = QueueQuerySet.as_manager()

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_queue"
            ),
            models.UniqueConstraint(
                fields=["serves_chat"], condition=models.Q(serves_chat=True), name="one_chat_queue"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_default:
            other = Queue.objects.filter(is_default=True).exclude(pk=self.pk).first()
            if other is not None:
                raise ValidationError(
                    {
                        "is_default": _(
                            "“%(queue)s” is already the default queue. Untick it there first: "
                            "only one queue can receive the requests that no category routes."
                        )
                        % {"queue": other}
                    }
                )
        if self.serves_chat:
            other = Queue.objects.filter(serves_chat=True).exclude(pk=self.pk).first()
            if other is not None:
                raise ValidationError(
                    {
                        "serves_chat": _(
                            "“%(queue)s” already takes the live chats. Untick it there first: "
                            "one queue answers the chat, and its calendar sets the chat's hours."
                        )
                        % {"queue": other}
                    }
                )

    def sla_for(self, priority: int) -> "SlaTarget | None":
        return self._sla_targets.get(priority)

    @cached_property
    def _sla_targets(self) -> dict[int, "SlaTarget"]:
        # Read once per queue object (or taken from a prefetch): due time and at-risk time need it.
        return {target.priority: target for target in self.sla_targets.all()}


class SlaTarget(models.Model):
    """How fast a queue promises to answer and resolve, in business time, per priority."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="sla_targets")
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority)
    first_response = models.DurationField(_("first response within"))
    resolution = models.DurationField(_("resolution within"))

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["queue", "-priority"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "priority"], name="one_sla_per_queue_priority")
        ]

    def __str__(self):
        return f"{self.queue} · {self.get_priority_display()}"

    def clean(self):
        errors = {}
        for name in ("first_response", "resolution"):
            value = getattr(self, name)
            if value is not None and value <= timedelta(0):
                errors[name] = _("Give a time longer than zero, in business hours (for example 8:00:00).")
        if errors:
            raise ValidationError(errors)
        if self.first_response and self.resolution and self.resolution < self.first_response:
            raise ValidationError({"resolution": _("Resolution cannot be due before the first response.")})


DEFAULT_SLA = {
    Priority.URGENT: (timedelta(hours=1), timedelta(hours=8)),
    Priority.HIGH: (timedelta(hours=4), timedelta(hours=16)),
    Priority.NORMAL: (timedelta(hours=8), timedelta(hours=40)),
    Priority.LOW: (timedelta(hours=16), timedelta(hours=80)),
}


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Category(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_hu = models.CharField(_("name (Hungarian)"), max_length=100)
    name_pl = models.CharField(_("name (Polish)"), max_length=100)
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="categories", verbose_name=_("queue")
    )
    default_priority = models.PositiveSmallIntegerField(
        _("default priority"), choices=Priority, default=Priority.NORMAL
    )
    is_complaint = models.BooleanField(
        _("complaints"), default=False, help_text=_("Requests in it count as complaints.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return field_in_language(self, "name")

    def queue_for(self, language: str) -> Queue:
        """A language route's queue for this language, else the category's own queue."""
        route = next((route for route in self.routes.all() if route.language == language), None)
        return route.queue if route else self.queue


class CategoryRoute(models.Model):
    """Requests of one category in one language go to a queue that serves that language."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routes")
    language = models.CharField(_("language"), max_length=8, choices=Language)
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="routes", verbose_name=_("queue"))

    class Meta:
        verbose_name = _("language route")
        verbose_name_plural = _("language routes")
        constraints = [
            models.UniqueConstraint(fields=["category", "language"], name="one_route_per_language")
        ]

    def __str__(self):
        return f"{self.category.slug} [{self.language}] → {self.queue}"

    def clean(self):
        queue = self.queue if self.queue_id else None
        if queue is not None and queue.language and self.language and queue.language != self.language:
            raise ValidationError(
                {
                    "queue": _(
                        "The queue “%(queue)s” serves only %(queue_language)s requests. Choose a "
                        "queue for %(language)s or one that serves every language."
                    )
                    % {
                        "queue": queue,
                        "queue_language": queue.get_language_display(),
                        "language": self.get_language_display(),
                    }
                }
            )
