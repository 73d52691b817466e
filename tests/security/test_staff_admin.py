"""Security review, point 1: a manager made themselves superuser in the admin, then ran any
command through django-q's schedule admin, and could set another manager's password.

Staff are managed on the staff page (helpdesk.views.staff_accounts); the admin's users, groups
and background tasks are for superusers only, and neither role holds a framework permission.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django_q.models import Schedule

from helpdesk.models import Notification, StaffChange
from helpdesk.roles import AGENTS, MANAGERS, ROLE_PERMISSIONS
from tests.conftest import STAFF_PASSWORD

User = get_user_model()

FRAMEWORK_APPS = ("auth", "django_q", "sessions", "admin", "contenttypes")

# The schedule the review added: run a shell command once, as the worker's user.
COMMAND_SCHEDULE = {
    "name": "x",
    "func": "os.system",
    "args": "'id'",
    "schedule_type": "O",
    "repeats": "-1",
    "next_run_0": "2026-12-04",
    "next_run_1": "12:00:00",
}


@pytest.fixture
def staff_manager(manager):
    """The manager as the review found them: allowed into the admin to configure the service."""
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    return manager


def user_change_form(user, **changes):
    """What the admin's user change form posts back, as a browser would send it."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    return data | changes


@pytest.mark.django_db
@pytest.mark.parametrize("group", [AGENTS, MANAGERS])
def test_the_role_groups_hold_no_framework_permission(group):
    """The groups as the migrations left them: every permission walked, none of the framework's."""
    held = [
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=group).permissions.values_list(
            "content_type__app_label", "codename"
        )
    ]

    assert held, "the migrations gave the group its permissions"
    assert [permission for permission in held if permission.startswith(FRAMEWORK_APPS)] == []


@pytest.mark.parametrize("group", [AGENTS, MANAGERS])
def test_the_role_lists_name_no_framework_permission(group):
    listed = ROLE_PERMISSIONS[group]
    assert [permission for permission in listed if permission.split(".")[0] in FRAMEWORK_APPS] == []


def test_the_reproduction_a_manager_cannot_make_themselves_superuser_nor_schedule_a_command(
    client, staff_manager
):
    client.force_login(staff_manager)

    escalation = client.post(
        f"/admin/auth/user/{staff_manager.pk}/change/",
        user_change_form(staff_manager, is_superuser="on"),
    )
    schedule_page = client.get("/admin/django_q/schedule/add/")
    schedule = client.post(
        "/admin/django_q/schedule/add/",
        COMMAND_SCHEDULE,
    )

    assert escalation.status_code == 403
    staff_manager.refresh_from_db()
    assert not staff_manager.is_superuser
    assert schedule_page.status_code == 403
    assert schedule.status_code == 403
    assert not Schedule.objects.filter(func="os.system").exists()


def test_a_manager_cannot_set_another_managers_password_in_the_admin(client, staff_manager, second_manager):
    client.force_login(staff_manager)

    page = client.get(f"/admin/auth/user/{second_manager.pk}/password/")
    response = client.post(
        f"/admin/auth/user/{second_manager.pk}/password/",
        {"password1": "taken over 123", "password2": "taken over 123", "usable_password": "true"},
    )

    assert page.status_code == 403
    assert response.status_code == 403
    second_manager.refresh_from_db()
    assert second_manager.check_password(STAFF_PASSWORD)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/django_q/schedule/",
        "/admin/django_q/success/",
        "/admin/django_q/failure/",
    ],
)
def test_the_admins_users_groups_and_tasks_are_refused_to_a_manager(client, staff_manager, path):
    client.force_login(staff_manager)
    assert client.get(path).status_code == 403


def test_a_permission_given_to_one_manager_does_not_open_users_or_tasks(client, staff_manager):
    """A superuser ticking auth.change_user or django_q.add_schedule on a manager's own account
    still opens neither: those pages are for superusers, whatever the permissions."""
    staff_manager.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["auth", "django_q"])
    )
    staff_manager = User.objects.get(pk=staff_manager.pk)  # permissions are cached on the user
    client.force_login(staff_manager)

    escalation = client.post(
        f"/admin/auth/user/{staff_manager.pk}/change/",
        user_change_form(staff_manager, is_superuser="on"),
    )
    schedule = client.post(
        "/admin/django_q/schedule/add/",
        COMMAND_SCHEDULE,
    )

    assert (escalation.status_code, schedule.status_code) == (403, 403)
    staff_manager.refresh_from_db()
    assert not staff_manager.is_superuser
    assert not Schedule.objects.filter(func="os.system").exists()


def test_the_admin_index_lists_no_users_groups_or_tasks_to_a_manager(client, staff_manager):
    client.force_login(staff_manager)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "/admin/auth/" not in response.text
    assert "/admin/django_q/" not in response.text
    assert "/admin/helpdesk/queue/" in response.text  # configuration stays


def test_a_superuser_still_manages_users_and_schedules_in_the_admin(client, roles):
    superuser = User.objects.create_superuser("root", "root@helpdesk.example", STAFF_PASSWORD)
    client.force_login(superuser)

    for path in ["/admin/auth/user/", "/admin/auth/group/", "/admin/django_q/schedule/add/"]:
        assert client.get(path).status_code == 200, path


# --- the staff page keeps the same line: no manager acts on another manager's login ----------


@pytest.mark.parametrize("action", ["deactivate", "password-link", "role"])
def test_a_manager_cannot_deactivate_reset_or_demote_another_manager_on_the_staff_page(
    client, manager, second_manager, action
):
    client.force_login(manager)

    response = client.post(f"/manage/staff/{second_manager.pk}/{action}/", {"role": "agent"})

    assert response.status_code == 302
    second_manager.refresh_from_db()
    assert second_manager.is_active
    assert second_manager.groups.filter(name=MANAGERS).exists()
    assert not Notification.objects.exists()
    assert not StaffChange.objects.exists()


def test_a_manager_cannot_make_themselves_anything_on_the_staff_page(client, manager):
    client.force_login(manager)

    for action in ["deactivate", "password-link", "role"]:
        client.post(f"/manage/staff/{manager.pk}/{action}/", {"role": "agent", "is_superuser": "on"})

    manager.refresh_from_db()
    assert (manager.is_active, manager.is_superuser) == (True, False)
    assert manager.groups.filter(name=MANAGERS).exists()


def test_the_add_agent_form_sets_no_flag_and_no_password(client, manager):
    client.force_login(manager)

    client.post(
        "/manage/staff/add/",
        {
            "username": "puppet",
            "first_name": "Puppet",
            "email": "puppet@helpdesk.example",
            "is_superuser": "on",
            "is_staff": "on",
            "password": "chosen by the manager",
            "groups": [str(pk) for pk in Group.objects.values_list("pk", flat=True)],
        },
    )

    puppet = User.objects.get(username="puppet")
    assert (puppet.is_superuser, puppet.is_staff, puppet.has_usable_password()) == (False, False, False)
    assert set(puppet.groups.values_list("name", flat=True)) == {AGENTS}
