from django.contrib import admin

from helpdesk.models import StaffProfile, WorkerHeartbeat


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    search_fields = ["user__username", "user__email"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["cluster", "beat_at"]
    readonly_fields = ["cluster", "beat_at"]
