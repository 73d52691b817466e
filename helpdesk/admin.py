from datetime import time, timedelta

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from helpdesk import dates
from helpdesk.models import (
    BusinessCalendar,
    CannedResponse,
    Category,
    CategoryRoute,
    ChannelListing,
    Closure,
    FaqCategory,
    FaqEntry,
    OpeningHours,
    PhoneMenuOption,
    Priority,
    Queue,
    SlaTarget,
    StaffProfile,
    WorkerHeartbeat,
)
from helpdesk.models.routing import DEFAULT_SLA
from helpdesk.roles import AGENTS, MANAGERS

User = get_user_model()


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    search_fields = ["user__username", "user__email"]

    def get_readonly_fields(self, request, obj=None):
        # A profile stays with its account: moving it would hand one person's settings to another.
        return ["user"] if obj is not None else []


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["node", "beat_at"]
    readonly_fields = ["node", "beat_at"]


# --- what managers configure: calendars, queues, categories -----------------------------------

UPCOMING_DAYS = 365


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        by_day: dict[int, list[tuple[time, time]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("opens") is None or data.get("closes") is None:
                continue
            closes = time.max if data["closes"] == time(0) else data["closes"]
            for opens, other_closes in by_day.get(data["weekday"], []):
                if data["opens"] < other_closes and opens < closes:
                    raise ValidationError(
                        _("The hours on %(weekday)s overlap. Give each opening its own time span.")
                        % {"weekday": OpeningHours.Weekday(data["weekday"]).label}
                    )
            by_day.setdefault(data["weekday"], []).append((data["opens"], closes))


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "time_zone"]
    list_filter = ["country"]
    search_fields = ["name"]
    inlines = [OpeningHoursInline, ClosureInline]
    readonly_fields = ["upcoming_days"]
    fields = ["name", "country", "time_zone", "upcoming_days"]

    @admin.display(description=_("public holidays and bridge working days in the next year"))
    def upcoming_days(self, calendar):
        if not calendar.pk:
            return _("Save the calendar to see its public holidays.")
        today = timezone.localdate()
        end = today + timedelta(days=UPCOMING_DAYS)
        rows = [(day, name) for day, name in calendar.holidays_between(today, end)]
        rows += [
            (
                worked,
                _("Working day instead of %(day_off)s") % {"day_off": formats.date_format(day_off)}
                if day_off
                else _("Working day"),
            )
            for worked, day_off in calendar.working_days_between(today, end)
        ]
        if not rows:
            return _("No public holidays in the next year.")
        return format_html(
            "<ul class='upcoming-days'>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {}</li>",
                ((dates.long_day_with_year(day), name) for day, name in sorted(rows)),
            ),
        )


class SlaTargetForm(forms.ModelForm):
    def has_changed(self):
        # A new target offered with our default times is saved even when left as offered.
        return self.instance.pk is None or super().has_changed()


class SlaTargetFormSet(forms.BaseInlineFormSet):
    """One target per priority, all four of them, with our defaults offered for a new queue."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            existing = {target.priority for target in self.get_queryset()}
            missing = [priority for priority in reversed(Priority) if priority not in existing]
            self.initial_extra = [
                {
                    "priority": priority,
                    "first_response": DEFAULT_SLA[priority][0],
                    "resolution": DEFAULT_SLA[priority][1],
                }
                for priority in missing
            ]
            self.extra = len(missing)

    def clean(self):
        super().clean()
        priorities = [
            form.cleaned_data["priority"]
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("priority")
        ]
        duplicates = sorted({priority for priority in priorities if priorities.count(priority) > 1})
        if duplicates:
            raise ValidationError(
                _("Each priority can have one target only; %(priorities)s appears twice.")
                % {"priorities": ", ".join(str(Priority(priority).label) for priority in duplicates)}
            )
        missing = [priority for priority in reversed(Priority) if priority not in priorities]
        if missing:
            raise ValidationError(
                _(
                    "Set a target for every priority, so every request gets a due time. "
                    "Missing: %(priorities)s."
                )
                % {"priorities": ", ".join(str(priority.label) for priority in missing)}
            )


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    form = SlaTargetForm
    formset = SlaTargetFormSet
    max_num = len(Priority)
    can_delete = False


def _staff_in(*groups):
    return User.objects.filter(groups__name__in=groups, is_active=True).distinct().order_by("username")


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "calendar", "manager", "is_default", "serves_chat"]
    list_filter = ["language", "calendar", "is_default"]
    list_select_related = ["calendar", "manager"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]
    fields = ["name", "slug", "language", "calendar", "manager", "members", "is_default"]
    inlines = [SlaTargetInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "manager":
            kwargs["queryset"] = _staff_in(MANAGERS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = _staff_in(AGENTS, MANAGERS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CategoryRouteInline(admin.TabularInline):
    model = CategoryRoute
    extra = 0
    verbose_name = _("route for one language")
    verbose_name_plural = _("routes for one language (otherwise the category's queue)")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name_en",
        "name_hu",
        "name_pl",
        "queue",
        "default_priority",
        "is_complaint",
        "is_active",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = ["queue", "is_complaint", "is_active"]
    list_select_related = ["queue"]
    search_fields = ["slug", "name_en", "name_hu", "name_pl"]
    prepopulated_fields = {"slug": ["name_en"]}
    fields = [
        "slug",
        ("name_en", "name_hu", "name_pl"),
        "queue",
        "default_priority",
        "is_complaint",
        ("is_active", "position"),
    ]
    inlines = [CategoryRouteInline]


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "language",
        "category",
        "then_status",
        "set_priority",
        "add_tags",
        "is_active",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = ["language", "is_active", "category"]
    list_select_related = ["category"]
    search_fields = ["title", "body", "add_tags"]
    fieldsets = [
        (None, {"fields": ["title", "language", "category", "body", ("is_active", "position")]}),
        (
            _("Macro: when the reply is sent"),
            {"fields": ["then_status", "set_priority", "add_tags"]},
        ),
    ]


# Walk-in configuration lives in its own module; users, groups and background tasks, superusers
# only, in another. Importing them registers them.
from helpdesk import admin_superusers  # noqa: E402, F401
from helpdesk.walk_in import admin as walk_in_admin  # noqa: E402, F401

# --- the FAQ and the channel directory (also edited in the application) --------------------


@admin.register(FaqCategory)
class FaqCategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_hu", "name_pl", "position"]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "question_en",
        "category",
        "is_published",
        "view_count",
        "helpful_yes",
        "helpful_no",
    ]
    list_filter = ["is_published", "category"]
    search_fields = ["slug", "question_en", "question_hu", "question_pl"]
    readonly_fields = ["view_count", "helpful_yes", "helpful_no", "updated_by", "published_at"]


@admin.register(ChannelListing)
class ChannelListingAdmin(admin.ModelAdmin):
    list_display = ["channel", "contact", "calendar", "queue", "is_shown", "position"]


@admin.register(PhoneMenuOption)
class PhoneMenuOptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "parent"]
