"""The site's root URLs: the pages of no single app, then each installed app's URLs.

App URLs are namespaced (`helpdesk:agent-home`, `crisis:incident-list`). The optional apps are
included only when installed, so a site without feedback (or without crisis and feedback) works.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from helpdesk.api import api
from helpdesk.views import health, public, staff

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", public.favicon, name="favicon"),
    path("i18n/setlang/", staff.set_language, name="set_language"),
    path("accounts/login/", staff.StaffLoginView.as_view(), name="login"),
    path("accounts/logout/", staff.StaffLogoutView.as_view(), name="logout"),
    # The emailed link to choose a password (helpdesk.mail.outbox.password_link): Django's views.
    path(
        "accounts/password/<uidb64>/<token>/",
        staff.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("helpdesk.urls")),
]

# The feedback app: surveys, lessons, dashboard, themes.
if apps.is_installed("feedback"):
    urlpatterns.append(path("", include("feedback.urls")))
# The crisis app: incidents, updates, briefings, compensation, and the banner's pages.
if apps.is_installed("crisis"):
    urlpatterns.append(path("crisis/", include("crisis.urls")))
