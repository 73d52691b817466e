"""Staff roles: the groups Agents and Managers, their permissions, and who holds which.

Customers have no account; every staff page checks one of these roles.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

AGENTS = "Agents"
MANAGERS = "Managers"

# Permission codenames ("app_label.codename") each group holds. Managers hold everything agents
# hold: a manager is also an agent. Later migrations that add models extend these lists and
# call sync_role_permissions() again.
# Never a permission of auth, admin, contenttypes, sessions or django_q: whoever changes users
# or groups can make themselves superuser, and a schedule runs any Python callable. Managers
# keep staff on the staff page (helpdesk.staff_accounts); the admin's users, groups and tasks
# are for superusers only (helpdesk.admin_superusers).
AGENT_PERMISSIONS = [
    "helpdesk.work_tickets",
    "helpdesk.view_staffprofile",
    "helpdesk.view_ticket",
    "helpdesk.add_ticket",
    "helpdesk.change_ticket",
    "helpdesk.view_ticketentry",
    "helpdesk.add_ticketentry",
    "helpdesk.view_attachment",
    "helpdesk.view_customer",
    "helpdesk.add_customer",
    "helpdesk.change_customer",
    "helpdesk.view_notification",
    "helpdesk.view_inboundemail",
    "helpdesk.change_inboundemail",
    "helpdesk.view_category",
    "helpdesk.view_queue",
    "helpdesk.view_branch",
    "helpdesk.view_desk",
    "helpdesk.view_visit",
]
# What managers configure: routing, calendars, SLA targets, integrations.
CONFIGURATION_MODELS = [
    "category",
    "categoryroute",
    "queue",
    "slatarget",
    "businesscalendar",
    "openinghours",
    "closure",
    "apiintegration",
    "cannedresponse",
    "branch",
    "branchservice",
    "desk",
    # The FAQ and the channel directory: managers write them; an agent may be given
    # helpdesk.change_faqentry on their own account to edit the FAQ too.
    "faqcategory",
    "faqentry",
    "channellisting",
    "phonemenuoption",
]
MANAGER_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "helpdesk.manage_service",
    "helpdesk.change_staffprofile",
    "helpdesk.view_workerheartbeat",
    "helpdesk.change_notification",
    *[
        f"helpdesk.{action}_{model}"
        for model in CONFIGURATION_MODELS
        for action in ("view", "add", "change", "delete")
    ],
]
ROLE_PERMISSIONS = {AGENTS: AGENT_PERMISSIONS, MANAGERS: MANAGER_PERMISSIONS}


def sync_role_permissions(group_model, permission_model) -> None:
    """Create the role groups and give them exactly their permissions.

    Takes the model classes so a data migration can pass its historical models. Permissions
    whose model is not migrated yet are skipped; the migration that adds it syncs again.
    """
    named = {tuple(dotted.split(".")) for codenames in ROLE_PERMISSIONS.values() for dotted in codenames}
    # One query for all of them: tests re-create the roles for almost every test.
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in permission_model.objects.filter(
            codename__in={codename for _app_label, codename in named}
        ).select_related("content_type")
    }
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        wanted = (tuple(dotted.split(".")) for dotted in codenames)
        group.permissions.set([found[key] for key in wanted if key in found])


# The attribute helpdesk.staff_backend sets on a signed-in user for each role: whether they are
# in its group, read with the user.
ROLE_FLAGS = {AGENTS: "in_agents_group", MANAGERS: "in_managers_group"}


def role_names(user) -> set[str]:
    """The roles among the user's groups: from the flags read with the user when they are there,
    else from the groups (read once and kept on the user object)."""
    if not hasattr(user, "_role_names"):
        if all(hasattr(user, flag) for flag in ROLE_FLAGS.values()):
            user._role_names = {name for name, flag in ROLE_FLAGS.items() if getattr(user, flag)}
        else:
            user._role_names = set(user.groups.filter(name__in=ROLE_FLAGS).values_list("name", flat=True))
    return user._role_names


def _in_groups(user, names) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(role_names(user) & set(names))


def is_agent(user) -> bool:
    return _in_groups(user, {AGENTS, MANAGERS})


def is_manager(user) -> bool:
    return _in_groups(user, {MANAGERS})


def _role_required(check):
    """Anonymous visitors are sent to the login page; signed-in staff without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            # A staff page: its top shows the staff notices (helpdesk.hooks.staff_page).
            request.is_staff_page = True
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


agent_required = _role_required(is_agent)
manager_required = _role_required(is_manager)


def sync_roles_migration(apps, schema_editor) -> None:
    """RunPython step for every migration that adds models with permissions the roles hold."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; create them now so the groups can
    # hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    sync_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def agent_with_permission(permission: str):
    """An agent who also holds `permission` (Managers hold it through their group; a manager
    can grant it to one agent in the admin). Anonymous: login; anyone else: 403."""
    return _role_required(lambda user: is_agent(user) and user.has_perm(permission))


FAQ_EDITING = "helpdesk.change_faqentry"
faq_editor_required = agent_with_permission(FAQ_EDITING)


def can_edit_faq(user) -> bool:
    return is_agent(user) and user.has_perm(FAQ_EDITING)
