"""Staff accounts, as managers keep them on the staff page: add an agent, set a role, deactivate,
reactivate, send a link to set a password. Each change is guarded, made on the account as it is
now (the row locked), and recorded as a StaffChange in the same transaction.

What a manager may not do here, so that no manager acts as someone else or above their role:
- change their own account;
- touch a superuser's account (superusers keep each other's in the admin);
- change another manager's role, deactivate or reactivate them, or send them a password link
  (superusers do that);
- make a manager of an account they added themselves (one person would hold two manager logins).
Nothing here sets a password or a superuser flag: a password is only ever set by its owner,
through the emailed link. Superusers may do all of the rest.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from helpdesk import live
from helpdesk.mail import outbox
from helpdesk.models import StaffChange, StaffProfile
from helpdesk.models.staff import staff_name
from helpdesk.models.staff_changes import ROLE_LABELS
from helpdesk.roles import AGENTS, MANAGERS, ROLE_FLAGS, is_manager
from helpdesk.staff_backend import in_group

AGENT, MANAGER = "agent", "manager"
ROLE_GROUPS = {AGENT: [AGENTS], MANAGER: [AGENTS, MANAGERS]}
ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ROLE_GROUPS]


class StaffChangeRefused(Exception):
    pass


def staff_members():
    """Everyone with a staff role or the superuser flag, active first, with their roles read in
    the same query (as helpdesk.staff_backend reads them for the signed-in user)."""
    flags = {flag: in_group(name) for name, flag in ROLE_FLAGS.items()}
    return (
        get_user_model()
        .objects.annotate(**flags)
        .filter(Q(in_agents_group=True) | Q(in_managers_group=True) | Q(is_superuser=True))
        .order_by("-is_active", "username")
    )


def role_of(user) -> str:
    """ "manager", "agent" or "" from the flags staff_members() reads."""
    if user.in_managers_group:
        return MANAGER
    return AGENT if user.in_agents_group else ""


def _locked(whom):
    """The account as it is now, its row locked until the change is recorded."""
    return staff_members().select_for_update(of=("self",)).get(pk=whom.pk)


def refusal(*, by, whom) -> str | None:
    """Why `by` may not change `whom`'s account on the staff page, or None if they may.

    `whom` must come from staff_members() (its roles read with it)."""
    if not is_manager(by):
        return _("Only managers change staff accounts.")
    if whom.pk == by.pk:
        return _("Your own account is changed by someone else: another manager or an administrator.")
    if whom.is_superuser:
        return _("An administrator's account is changed in the administration, by another administrator.")
    if whom.in_managers_group and not by.is_superuser:
        return _("Another manager's account is changed by an administrator.")
    return None


def _guard(*, by, whom) -> None:
    if reason := refusal(by=by, whom=whom):
        raise StaffChangeRefused(reason)


def _record(kind, *, by, whom, role_from="", role_to="") -> StaffChange:
    return StaffChange.objects.create(kind=kind, by=by, whom=whom, role_from=role_from, role_to=role_to)


def add_agent(*, by, username: str, first_name: str, last_name: str, email: str):
    """A new agent without a password; they choose one through the link sent to `email`."""
    if not is_manager(by):
        raise StaffChangeRefused(_("Only managers change staff accounts."))
    with transaction.atomic():
        user = get_user_model()(username=username, first_name=first_name, last_name=last_name, email=email)
        user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name__in=ROLE_GROUPS[AGENT]))
        _record(StaffChange.Kind.ADDED, by=by, whom=user, role_to=AGENT)
        outbox.password_link(user, language=_language_of(user), new_account=True)
    return user


def set_role(*, by, whom, role: str) -> bool:
    """Make `whom` an agent or a manager; False when they already were one."""
    if role not in ROLE_GROUPS:
        raise StaffChangeRefused(_("Choose a role."))
    with transaction.atomic():
        whom = _locked(whom)
        _guard(by=by, whom=whom)
        previous = role_of(whom)
        if previous == role:
            return False
        if (
            role == MANAGER
            and not by.is_superuser
            and StaffChange.objects.filter(kind=StaffChange.Kind.ADDED, by=by, whom=whom).exists()
        ):
            raise StaffChangeRefused(
                _("Someone other than the manager who added an account makes it a manager.")
            )
        whom.groups.set(Group.objects.filter(name__in=ROLE_GROUPS[role]))
        # Managers configure the service in the admin; agents work in the application only.
        type(whom).objects.filter(pk=whom.pk).update(is_staff=role == MANAGER)
        _record(StaffChange.Kind.ROLE_CHANGED, by=by, whom=whom, role_from=previous, role_to=role)
        live.end_streams_of(whom)  # their pages follow again with the new role's rights
    return True


def deactivate(*, by, whom) -> None:
    """They can no longer sign in, are signed out at their next page (the backend refuses an
    inactive account), and their open pages' streams end now. Their roles stay, for a
    reactivation."""
    _set_active(by=by, whom=whom, active=False)


def reactivate(*, by, whom) -> None:
    _set_active(by=by, whom=whom, active=True)


def _set_active(*, by, whom, active: bool) -> None:
    with transaction.atomic():
        whom = _locked(whom)
        _guard(by=by, whom=whom)
        changed = type(whom).objects.filter(pk=whom.pk, is_active=not active).update(is_active=active)
        if not changed:
            already = _("%(name)s can already sign in.") if active else _("%(name)s is already deactivated.")
            raise StaffChangeRefused(already % {"name": staff_name(whom)})
        kind = StaffChange.Kind.REACTIVATED if active else StaffChange.Kind.DEACTIVATED
        _record(kind, by=by, whom=whom)
        if not active:
            live.end_streams_of(whom)


def send_password_link(*, by, whom) -> None:
    """Email `whom` a link to choose a new password (Django's reset token: it works once, and
    stops working when the password changes or after PASSWORD_RESET_TIMEOUT)."""
    with transaction.atomic():
        whom = _locked(whom)
        _guard(by=by, whom=whom)
        if not whom.is_active:
            raise StaffChangeRefused(_("Reactivate the account before sending a password link."))
        if not whom.email:
            raise StaffChangeRefused(_("This account has no email address to send the link to."))
        _record(StaffChange.Kind.RESET_LINK_SENT, by=by, whom=whom)
        outbox.password_link(whom, language=_language_of(whom), new_account=False)


def _language_of(user) -> str:
    return StaffProfile.objects.filter(user=user).values_list("language", flat=True).first() or ""
