"""Root URLs. App URLs are namespaced (`helpdesk:agent-home`)."""

from django.contrib import admin
from django.urls import include, path

from helpdesk.api import api
from helpdesk.views import health, integrations, public, staff, status, tickets

app_urls = (
    [
        path("agent/", staff.agent_home, name="agent-home"),
        path("agent/tickets/<str:reference>/", tickets.ticket_detail, name="ticket-detail"),
        path("status/<str:token>/", status.status_page, name="status"),
        path("manage/integrations/", integrations.integration_list, name="integration-list"),
        path("manage/integrations/new/", integrations.integration_create, name="integration-create"),
        path(
            "manage/integrations/<int:pk>/deactivate/",
            integrations.integration_deactivate,
            name="integration-deactivate",
        ),
        path(
            "manage/integrations/<int:pk>/reactivate/",
            integrations.integration_reactivate,
            name="integration-reactivate",
        ),
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
    path("api/", api.urls),
    path("", include(app_urls)),
]
