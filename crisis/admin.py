from django.contrib import admin

from crisis.models import (
    ApprovalThreshold,
    AuditEntry,
    Briefing,
    CompensationPolicy,
    CompensationProposal,
    GrantLimit,
)
from helpdesk.roles import is_manager

# briefing, compensation, report


class ManagersReadOnly(admin.ModelAdmin):
    """Managers read these records here by their role (the group's permission list belongs to
    helpdesk's role sync); every change goes through the crisis pages and their rules."""

    def has_module_permission(self, request):
        return is_manager(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_manager(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ManagersReadOnly):
    """Read-only: the audit trail is append-only (the model and a database trigger refuse changes)."""

    list_display = ["at", "actor", "action", "subject", "ticket", "incident"]
    list_filter = ["action"]
    search_fields = ["subject", "note", "ticket__reference"]
    date_hierarchy = "at"


@admin.register(Briefing)
class BriefingAdmin(ManagersReadOnly):
    list_display = ["incident", "version", "is_current", "written_by", "written_at"]
    readonly_fields = ["incident", "version", "written_by", "written_at"]


@admin.register(CompensationPolicy)
class CompensationPolicyAdmin(ManagersReadOnly):
    list_display = ["title", "incident", "kind", "amount", "currency", "duration_days", "is_active"]


@admin.register(CompensationProposal)
class CompensationProposalAdmin(ManagersReadOnly):
    list_display = ["ticket", "incident", "kind", "amount", "currency", "state", "proposed_by", "proposed_at"]
    list_filter = ["state", "kind"]


@admin.register(GrantLimit)
class GrantLimitAdmin(ManagersReadOnly):
    list_display = ["agent", "kind", "currency", "max_amount", "max_days", "set_by", "set_at"]


@admin.register(ApprovalThreshold)
class ApprovalThresholdAdmin(ManagersReadOnly):
    list_display = ["kind", "currency", "above_amount", "above_days", "takes_effect_at", "set_by", "set_at"]
