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
    queue,
    staff,
    status,
    tickets,
    web_form,
)
from helpdesk.views.workspace import case, conversation, relations

app_urls = (
    [
        path("agent/", queue.agent_home, name="agent-home"),
        path("agent/take-next/", queue.take_next, name="take-next"),
        path("agent/availability/", queue.set_availability, name="availability"),
        path("agent/tickets/<str:reference>/", tickets.ticket_detail, name="ticket-detail"),
        path(
            "agent/tickets/<str:reference>/notifications/<int:pk>/retry/",
            tickets.retry_notification,
            name="notification-retry",
        ),
        path("agent/tickets/<str:reference>/reply/", conversation.reply, name="ticket-reply"),
        path("agent/tickets/<str:reference>/note/", conversation.add_note, name="ticket-note"),
        path("agent/tickets/<str:reference>/presence/", conversation.presence, name="ticket-presence"),
        path("agent/tickets/<str:reference>/summary/", case.write_summary, name="ticket-summary"),
        path("agent/tickets/<str:reference>/next-steps/", case.add_next_step, name="ticket-next-step"),
        path(
            "agent/tickets/<str:reference>/next-steps/<int:pk>/done/",
            case.complete_next_step,
            name="ticket-next-step-done",
        ),
        path("agent/tickets/<str:reference>/status/", case.change_status, name="ticket-status"),
        path("agent/tickets/<str:reference>/priority/", case.change_priority, name="ticket-priority"),
        path("agent/tickets/<str:reference>/assign/", case.reassign, name="ticket-assign"),
        path("agent/tickets/<str:reference>/escalate/", case.escalate, name="ticket-escalate"),
        path("agent/tickets/<str:reference>/merge/", relations.merge, name="ticket-merge"),
        path("agent/tickets/<str:reference>/link/", relations.link, name="ticket-link"),
        path("agent/calendars/", calendars.calendars, name="calendars"),
        path("agent/mail/quarantine/", quarantine.quarantine_list, name="quarantine"),
        path("agent/mail/<int:pk>/", quarantine.quarantine_detail, name="quarantine-detail"),
        path("agent/mail/<int:pk>/convert/", quarantine.quarantine_convert, name="quarantine-convert"),
        path("agent/mail/<int:pk>/discard/", quarantine.quarantine_discard, name="quarantine-discard"),
        path("status/<str:token>/", status.status_page, name="status"),
        path("status/<str:token>/live/", status.status_live, name="status-live"),
        path("status/<str:token>/summary/confirm/", status.summary_confirm, name="status-summary-confirm"),
        path("status/<str:token>/summary/correct/", status.summary_correct, name="status-summary-correct"),
        path("tickets/new/", web_form.ticket_new, name="ticket-new"),
        path("tickets/new/done/<str:token>/", web_form.ticket_new_done, name="ticket-new-done"),
        path("agent/calls/new/", calls.call_new, name="call-new"),
        path("agent/calls/customers/", calls.customer_search, name="call-customer-search"),
        path("manage/queues/", queue.queue_overview, name="queue-overview"),
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
    # crisis: incidents, public updates, the banner's pages (the crisis app owns these URLs)
    path("crisis/", include("crisis.urls")),
]
