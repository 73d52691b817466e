from django.contrib import admin

from crisis.models import AuditEntry, Briefing, CompensationPolicy, CompensationProposal, GrantLimit

# briefing, compensation, report


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only (the model and a database trigger refuse changes)."""

    list_display = ["at", "actor", "action", "subject", "ticket", "incident"]
    list_filter = ["action"]
    search_fields = ["subject", "note", "ticket__reference"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["incident", "version", "is_current", "written_by", "written_at"]
    readonly_fields = ["incident", "version", "written_by", "written_at"]

    def has_add_permission(self, request):
        return False  # written on the briefing page, so every version is kept

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CompensationPolicy)
class CompensationPolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "incident", "kind", "amount", "currency", "duration_days", "is_active"]

    def has_change_permission(self, request, obj=None):
        return False  # changed on the policies page, where every change is audited

    def has_add_permission(self, request):
        return False


@admin.register(CompensationProposal)
class CompensationProposalAdmin(admin.ModelAdmin):
    list_display = ["ticket", "incident", "kind", "amount", "currency", "state", "proposed_by", "proposed_at"]
    list_filter = ["state", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decisions go through the approval queue and its rules

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GrantLimit)
class GrantLimitAdmin(admin.ModelAdmin):
    list_display = ["agent", "kind", "currency", "max_amount", "max_days", "set_by", "set_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
