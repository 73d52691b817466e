"""The admin site: only managers and superusers enter it.

Django lets any active account marked `is_staff` in, to a page that then shows what its
permissions allow. An account with no role (a former employee's, say) has no business there at
all, so the site asks for a role before any permission is looked at.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request):
        from helpdesk.roles import is_manager  # loaded with the apps, after this module

        user = request.user
        return user.is_active and user.is_staff and (user.is_superuser or is_manager(user))


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin, its default site being StaffAdminSite."""

    default_site = "helpdesk.admin_site.StaffAdminSite"
