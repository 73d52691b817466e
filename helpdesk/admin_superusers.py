"""Users, groups and django-q's background tasks in the admin: superusers only.

Whoever can change a user or a group can make themselves superuser; whoever can add a schedule
names a Python callable the worker runs. So these pages answer to the superuser flag alone,
whatever permissions a group or an account holds. Managers keep staff on the staff page
(helpdesk.staff_accounts). Imported by helpdesk.admin, after django.contrib.auth and django_q
registered their own (both come before helpdesk in INSTALLED_APPS).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django_q import admin as django_q_admin
from django_q.models import Failure, OrmQ, Schedule, Success

from helpdesk import live


class SuperusersOnly:
    """Refused (and left out of the admin's index) for anyone but a superuser."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class SuperuserUserAdmin(SuperusersOnly, UserAdmin):
    def log_change(self, request, obj, message):
        """Every change saved here (the account, its groups, its password) ends the account's open
        pages' streams: they reconnect with the rights it has now (helpdesk.live.end_streams_of)."""
        live.end_streams_of(obj)
        return super().log_change(request, obj, message)


class SuperuserGroupAdmin(SuperusersOnly, GroupAdmin):
    pass


class SuperuserScheduleAdmin(SuperusersOnly, django_q_admin.ScheduleAdmin):
    pass


class SuperuserTaskAdmin(SuperusersOnly, django_q_admin.TaskAdmin):
    pass


class SuperuserFailAdmin(SuperusersOnly, django_q_admin.FailAdmin):
    pass


class SuperuserQueueAdmin(SuperusersOnly, django_q_admin.QueueAdmin):
    pass


REPLACED = [
    (get_user_model(), SuperuserUserAdmin),
    (Group, SuperuserGroupAdmin),
    (Schedule, SuperuserScheduleAdmin),
    (Success, SuperuserTaskAdmin),
    (Failure, SuperuserFailAdmin),
    (OrmQ, SuperuserQueueAdmin),
]

for model, model_admin in REPLACED:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
