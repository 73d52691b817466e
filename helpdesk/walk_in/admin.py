"""What managers configure for walk-in service: branches, their lines and their desks."""

from django.contrib import admin

from helpdesk.models import Branch, BranchService, Desk


class BranchServiceInline(admin.TabularInline):
    model = BranchService
    extra = 0
    fields = ["letter", "name_en", "name_hu", "name_pl", "queue", "position"]


class DeskInline(admin.TabularInline):
    model = Desk
    extra = 0
    fields = ["label", "services", "agent"]


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "address", "calendar", "display_language", "is_active"]
    list_filter = ["is_active", "calendar"]
    list_select_related = ["calendar"]
    search_fields = ["name", "slug", "address"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "address", "calendar", "display_language", "is_active"]
    inlines = [BranchServiceInline, DeskInline]
