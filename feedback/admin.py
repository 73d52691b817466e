from django.contrib import admin

from feedback.models import Lesson, Survey, SurveyOptOut, SurveySettings


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ["queue", "is_enabled", "delay_days", "reminder_days", "quiet_days"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["ticket", "kind", "status", "due_at", "sent_at", "answered_at", "rating", "solved"]
    list_filter = ["kind", "status", "needs_review", "queue"]
    search_fields = ["ticket__reference", "customer__email"]
    raw_id_fields = ["ticket", "customer", "incident"]
    # Answers are the customer's words: shown, never edited here.
    readonly_fields = ["rating", "solved", "compensation_received", "comment", "answered_at"]


@admin.register(SurveyOptOut)
class SurveyOptOutAdmin(admin.ModelAdmin):
    list_display = ["customer", "via", "opted_out_at"]
    raw_id_fields = ["customer"]
    search_fields = ["customer__email"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "ticket", "author", "created_at", "shared_at"]
    search_fields = ["title", "cause", "lesson", "ticket__reference"]
    raw_id_fields = ["ticket"]
