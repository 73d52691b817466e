"""Root URLs. App URLs are namespaced (`helpdesk:agent-home`)."""

from django.contrib import admin
from django.urls import include, path

from helpdesk.views import calendars, health, public, staff, status, tickets

app_urls = (
    [
        path("agent/", staff.agent_home, name="agent-home"),
        path("agent/tickets/<str:reference>/", tickets.ticket_detail, name="ticket-detail"),
        path("agent/calendars/", calendars.calendars, name="calendars"),
        path("status/<str:token>/", status.status_page, name="status"),
    ],
    "helpdesk",
)

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", staff.set_language, name="set_language"),
    path("accounts/login/", staff.StaffLoginView.as_view(), name="login"),
    path("accounts/logout/", staff.StaffLogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include(app_urls)),
]
