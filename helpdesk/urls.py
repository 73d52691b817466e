"""Root URLs. App URLs are namespaced (`helpdesk:agent-home`)."""

from django.contrib import admin
from django.urls import include, path

from helpdesk.api import api
from helpdesk.views import (
    attention,
    calendars,
    calls,
    health,
    integrations,
    public,
    quarantine,
    staff,
    status,
    tickets,
    web_form,
)

app_urls = (
    [
        path("agent/", staff.agent_home, name="agent-home"),
        path("agent/tickets/<str:reference>/", tickets.ticket_detail, name="ticket-detail"),
        path(
            "agent/tickets/<str:reference>/notifications/<int:pk>/retry/",
            tickets.retry_notification,
            name="notification-retry",
        ),
        path("agent/calendars/", calendars.calendars, name="calendars"),
        path("agent/mail/quarantine/", quarantine.quarantine_list, name="quarantine"),
        path("agent/mail/<int:pk>/", quarantine.quarantine_detail, name="quarantine-detail"),
        path("agent/mail/<int:pk>/convert/", quarantine.quarantine_convert, name="quarantine-convert"),
        path("agent/mail/<int:pk>/discard/", quarantine.quarantine_discard, name="quarantine-discard"),
        path("status/<str:token>/", status.status_page, name="status"),
        path("tickets/new/", web_form.ticket_new, name="ticket-new"),
        path("tickets/new/done/<str:token>/", web_form.ticket_new_done, name="ticket-new-done"),
        path("agent/calls/new/", calls.call_new, name="call-new"),
        path("agent/calls/customers/", calls.customer_search, name="call-customer-search"),
        path("manage/attention/", attention.manager_attention, name="manager-attention"),
        path(
            "manage/attention/<int:pk>/resolve/",
            attention.resolve_escalation,
            name="escalation-resolve",
        ),
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
