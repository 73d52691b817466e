from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from helpdesk import live
from helpdesk.models import StaffProfile
from helpdesk.roles import is_agent


class StaffLoginView(auth_views.LoginView):
    """Django's login, plus: a staff member's saved language follows them to any computer."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        language = StaffProfile.objects.for_user(user).language if is_agent(user) else ""
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class StaffLogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        user = request.user
        response = super().post(request, *args, **kwargs)
        # The session's other open pages stop receiving its events. (Those of another session
        # still signed in, on another device, reconnect and catch up: a stream knows its person,
        # not its session.)
        if user.is_authenticated:
            live.end_streams_of(user)
        messages.info(request, _("You have signed out. Thank you for your work today."))
        return response


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed link to choose a password (helpdesk.mail.outbox.password_link), Django's own.
    A new password signs out the account's other sessions, and with them their open pages."""

    def form_valid(self, form):
        response = super().form_valid(form)
        live.end_streams_of(form.user)
        return response


@require_POST
def set_language(request):
    """Django's language switch (a cookie), also remembered on a staff member's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if is_agent(request.user) and language in dict(settings.LANGUAGES):
        StaffProfile.objects.for_user(request.user).remember_language(language)
    return response
