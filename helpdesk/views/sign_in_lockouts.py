"""Sign-in lockouts: the page a paused sign-in gets, and the managers' page to lift a pause."""

from axes.helpers import get_client_username
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from helpdesk import sign_in_lockouts
from helpdesk.client_address import client_ip
from helpdesk.forms.sign_in import LiftLockoutForm
from helpdesk.models import LockoutLift
from helpdesk.rate_limits import RetryAt
from helpdesk.roles import manager_required

RECENT_LIFTS = 20


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: instead of the sign-in form, what happened and what to do."""
    now = timezone.now()
    until = RetryAt(
        sign_in_lockouts.ends_at(
            username=get_client_username(request, credentials), ip_address=client_ip(request), now=now
        )
    )
    context = {"until": until.clock}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(until.seconds_from(now))
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@manager_required
@require_GET
def lockout_list(request):
    context = {
        "lockouts": sign_in_lockouts.current(),
        "lifts": LockoutLift.objects.select_related("lifted_by")[:RECENT_LIFTS],
    }
    return render(request, "helpdesk/sign_in_lockouts.html", context)


@manager_required
@require_POST
def lockout_lift(request):
    form = LiftLockoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors() or [_("Please choose a lockout to lift.")]))
        return redirect("helpdesk:sign-in-lockouts")
    lifted = sign_in_lockouts.lift(by=request.user, **form.cleaned_data)
    who = form.cleaned_data["username"] or form.cleaned_data["ip_address"]
    if lifted is None:
        messages.info(request, _("%(who)s was no longer paused.") % {"who": who})
    else:
        messages.success(request, _("%(who)s may sign in again.") % {"who": who})
    return redirect("helpdesk:sign-in-lockouts")
