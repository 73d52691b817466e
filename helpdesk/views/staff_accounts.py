"""The staff page: managers add agents, set roles, deactivate and reactivate accounts and send
password links (helpdesk.staff_accounts decides who may do what); the latest changes below."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk import staff_accounts
from helpdesk.forms.staff import AddAgentForm, RoleForm
from helpdesk.models import StaffChange
from helpdesk.models.staff import staff_name
from helpdesk.models.staff_changes import ROLE_LABELS
from helpdesk.roles import manager_required
from helpdesk.staff_accounts import StaffChangeRefused

LATEST_CHANGES = 50


def render_page(request, *, add_form=None):
    members = list(staff_accounts.staff_members())
    for member in members:
        member.role = staff_accounts.role_of(member)
        member.role_label = ROLE_LABELS[member.role]
        member.refusal = staff_accounts.refusal(by=request.user, whom=member)
    context = {
        "members": members,
        "add_form": add_form or AddAgentForm(),
        "changes": StaffChange.objects.latest_first()[:LATEST_CHANGES],
        "latest_changes": LATEST_CHANGES,
        "roles": staff_accounts.ROLE_CHOICES,
    }
    return render(request, "helpdesk/staff_accounts.html", context)


@manager_required
@require_GET
def staff_list(request):
    return render_page(request)


@manager_required
@require_POST
def staff_add(request):
    form = AddAgentForm(request.POST)
    if not form.is_valid():
        return render_page(request, add_form=form)
    user = staff_accounts.add_agent(by=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("%(name)s was added as an agent; a link to choose a password went to %(email)s.")
        % {"name": staff_name(user), "email": user.email},
    )
    return redirect("helpdesk:staff")


def change(request, pk, make_change):
    """The way of every change to one account: refused changes say why, made ones say what."""
    whom = get_object_or_404(staff_accounts.staff_members(), pk=pk)
    try:
        done = make_change(whom)
    except StaffChangeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"name": staff_name(whom)})
    return redirect("helpdesk:staff")


@manager_required
@require_POST
def staff_role(request, pk):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("helpdesk:staff")
    role = form.cleaned_data["role"]

    def set_role(whom):
        if not staff_accounts.set_role(by=request.user, whom=whom, role=role):
            return _("%(name)s already had that role.")
        if role == staff_accounts.MANAGER:
            return _("%(name)s is now a manager.")
        return _("%(name)s is now an agent.")

    return change(request, pk, set_role)


@manager_required
@require_POST
def staff_deactivate(request, pk):
    def deactivate(whom):
        staff_accounts.deactivate(by=request.user, whom=whom)
        return _("%(name)s can no longer sign in.")

    return change(request, pk, deactivate)


@manager_required
@require_POST
def staff_reactivate(request, pk):
    def reactivate(whom):
        staff_accounts.reactivate(by=request.user, whom=whom)
        return _("%(name)s can sign in again.")

    return change(request, pk, reactivate)


@manager_required
@require_POST
def staff_password_link(request, pk):
    def send(whom):
        staff_accounts.send_password_link(by=request.user, whom=whom)
        return _("A link to choose a new password is on its way to %(name)s.")

    return change(request, pk, send)
