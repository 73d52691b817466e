"""Where a request goes and when it is due: calendars, queues, categories, SLA targets."""

from datetime import time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from helpdesk.business_time import Calendar


class Priority(models.IntegerChoices):
    # Numbers, so the database orders by priority directly (higher first).
    LOW = 10, _("Low")
    NORMAL = 20, _("Normal")
    HIGH = 30, _("High")
    URGENT = 40, _("Urgent")


class Language(models.TextChoices):
    EN = "en", _("English")
    HU = "hu", _("Hungarian")
    PL = "pl", _("Polish")


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
    def calendar(self) -> Calendar:
        """The pure business-time calendar (two queries: opening hours and closures)."""
        weekly: dict[int, list[tuple[time, time]]] = {}
        for hours in self.opening_hours.order_by("weekday", "opens"):
            weekly.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
        this_year = timezone.localdate().year
        # Holidays of further years are added on demand; the bridge days only for these years.
        national = holidays.country_holidays(self.country, years=range(this_year - 1, this_year + 3))
        # A bridge working day (Saturday) keeps the hours of an ordinary weekday: the first one
        # with hours, Monday in every calendar we ship.
        ordinary_day = next((weekly[day] for day in range(5) if weekly.get(day)), [])
        return Calendar(
            tz=ZoneInfo(self.time_zone),
            weekly=weekly,
            is_holiday=national.__contains__,
            extra_working_days=frozenset(national.weekend_workdays),
            extra_day_hours=ordinary_day,
            closures=tuple(self.closures.values_list("starts_at", "ends_at")),
        )

    def holidays_between(self, start, end) -> list[tuple]:
        national = holidays.country_holidays(
            self.country, years=range(start.year, end.year + 1), language=_holiday_language()
        )
        return sorted((day, name) for day, name in national.items() if start <= day <= end)


def _holiday_language():
    return {"hu": "hu", "pl": "pl"}.get(get_language() or "", "en_US")


class OpeningHours(models.Model):
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


class Closure(models.Model):
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

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_queue"
            )
        ]

    def __str__(self):
        return self.name

    def sla_for(self, priority: int) -> "SlaTarget | None":
        return next((target for target in self.sla_targets.all() if target.priority == priority), None)


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
        return getattr(self, f"name_{get_language() or 'en'}", None) or self.name_en

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
