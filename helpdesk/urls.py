"""Root URLs. App URLs are namespaced (`helpdesk:agent-home`)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from helpdesk.api import api
from helpdesk.views import (
    attention,
    calendars,
    calls,
    chat,
    customers,
    directory,
    faq,
    faq_staff,
    health,
    integrations,
    public,
    quarantine,
    queue,
    sign_in_lockouts,
    staff,
    staff_accounts,
    status,
    status_actions,
    status_lookup,
    tickets,
    web_form,
)
from helpdesk.views.walk_in import desk, front_desk, lobby
from helpdesk.views.workspace import case, conversation, relations
from helpdesk.views.workspace import chat as agent_chat

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
        path(
            "agent/tickets/<str:reference>/escalate/", case.request_attention, name="ticket-request-attention"
        ),
        path("agent/tickets/<str:reference>/merge/", relations.merge, name="ticket-merge"),
        # themes: an agent marks any ticket as a complaint
        path("agent/tickets/<str:reference>/complaint/", case.mark_complaint, name="ticket-complaint"),
        path("agent/tickets/<str:reference>/link/", relations.link, name="ticket-link"),
        path("agent/calendars/", calendars.calendars, name="calendars"),
        path("agent/mail/quarantine/", quarantine.quarantine_list, name="quarantine"),
        path("agent/mail/<int:pk>/", quarantine.quarantine_detail, name="quarantine-detail"),
        path("agent/mail/<int:pk>/convert/", quarantine.quarantine_convert, name="quarantine-convert"),
        path("agent/mail/<int:pk>/discard/", quarantine.quarantine_discard, name="quarantine-discard"),
        # Status lookup and the customer's actions on the status page; before the
        # token routes, so that "links" or "new-link-sent" are never read as a token.
        path("status/", status_lookup.status_lookup, name="status-lookup"),
        path("status/links/", status_lookup.status_links, name="status-links"),
        path("status/new-link-sent/", status_actions.new_link_sent, name="status-new-link-sent"),
        path("status/<str:token>/reply/", status_actions.reply, name="status-reply"),
        path("status/<str:token>/close/", status_actions.close, name="status-close"),
        path("status/<str:token>/new-link/", status_actions.new_link, name="status-new-link"),
        path("status/<str:token>/merged/", status_actions.follow_merge, name="status-follow-merge"),
        path("status/<str:token>/", status.status_page, name="status"),
        path("status/<str:token>/live/", status.status_live, name="status-live"),
        path("status/<str:token>/summary/confirm/", status.summary_confirm, name="status-summary-confirm"),
        path("status/<str:token>/summary/correct/", status.summary_correct, name="status-summary-correct"),
        path("tickets/new/", web_form.ticket_new, name="ticket-new"),
        path("tickets/new/done/<str:token>/", web_form.ticket_new_done, name="ticket-new-done"),
        path("agent/calls/new/", calls.call_new, name="call-new"),
        path("agent/calls/customers/", calls.customer_search, name="call-customer-search"),
        path("agent/customers/<int:pk>/merge/", customers.customer_merge, name="customer-merge"),
        # Walk-in: branches, the front desk, the agents' desks and the lobby screen
        path("agent/walk-in/", front_desk.branches, name="walk-in"),
        path("agent/walk-in/<slug:slug>/check-in/", front_desk.front_desk, name="walk-in-front-desk"),
        path("agent/walk-in/visits/<int:pk>/slip/", front_desk.slip, name="walk-in-slip"),
        path("agent/walk-in/visits/<int:pk>/recall/", desk.recall, name="walk-in-recall"),
        path("agent/walk-in/visits/<int:pk>/no-show/", desk.no_show, name="walk-in-no-show"),
        path("agent/walk-in/visits/<int:pk>/finish/", desk.finish, name="walk-in-finish"),
        path("agent/walk-in/visits/<int:pk>/transfer/", desk.transfer, name="walk-in-transfer"),
        path("agent/walk-in/visits/<int:pk>/left/", desk.left, name="walk-in-left"),
        path("agent/walk-in/desks/<int:pk>/", desk.desk_page, name="walk-in-desk"),
        path("agent/walk-in/desks/<int:pk>/sit-down/", desk.sit_down, name="walk-in-sit-down"),
        path("agent/walk-in/desks/<int:pk>/leave/", desk.leave, name="walk-in-leave"),
        path("agent/walk-in/desks/<int:pk>/call-next/", desk.call_next, name="walk-in-call-next"),
        path("display/<slug:slug>/", lobby.lobby, name="lobby"),
        path("display/<slug:slug>/board/", lobby.lobby_board, name="lobby-board"),
        # Live chat: the customer's side (the chat token is the key) and the agent's panel.
        path("chat/", chat.chat_start, name="chat-start"),
        path("chat/<str:token>/", chat.chat_room, name="chat-room"),
        path("chat/<str:token>/poll/", chat.chat_poll, name="chat-poll"),
        path("chat/<str:token>/send/", chat.chat_send, name="chat-send"),
        path("chat/<str:token>/end/", chat.chat_end, name="chat-end"),
        path("chat/<str:token>/request/", chat.chat_request, name="chat-request"),
        path("agent/tickets/<str:reference>/chat/poll/", agent_chat.poll, name="ticket-chat-poll"),
        path("agent/tickets/<str:reference>/chat/join/", agent_chat.join, name="ticket-chat-join"),
        path("agent/tickets/<str:reference>/chat/send/", agent_chat.send, name="ticket-chat-send"),
        path("agent/tickets/<str:reference>/chat/hold/", agent_chat.hold, name="ticket-chat-hold"),
        path("agent/tickets/<str:reference>/chat/end/", agent_chat.end, name="ticket-chat-end"),
        path("manage/queues/", queue.queue_overview, name="queue-overview"),
        path("manage/attention/", attention.manager_attention, name="manager-attention"),
        path(
            "manage/attention/<int:pk>/resolve/",
            attention.resolve_attention_request,
            name="attention-request-resolve",
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
        # Staff accounts: managers add agents, set roles, deactivate, send password links
        path("manage/staff/", staff_accounts.staff_list, name="staff"),
        path("manage/staff/add/", staff_accounts.staff_add, name="staff-add"),
        path("manage/staff/<int:pk>/role/", staff_accounts.staff_role, name="staff-role"),
        path("manage/staff/<int:pk>/deactivate/", staff_accounts.staff_deactivate, name="staff-deactivate"),
        path("manage/staff/<int:pk>/reactivate/", staff_accounts.staff_reactivate, name="staff-reactivate"),
        path(
            "manage/staff/<int:pk>/password-link/",
            staff_accounts.staff_password_link,
            name="staff-password-link",
        ),
        path("manage/sign-in-lockouts/", sign_in_lockouts.lockout_list, name="sign-in-lockouts"),
        path("manage/sign-in-lockouts/lift/", sign_in_lockouts.lockout_lift, name="sign-in-lockout-lift"),
        # FAQ and channel directory (self-service)
        path("faq/", faq.faq_list, name="faq"),
        path("faq/<slug:slug>/", faq.faq_entry, name="faq-entry"),
        path("faq/<slug:slug>/helpful/", faq.faq_vote, name="faq-vote"),
        path("contact/", directory.contact, name="contact"),
        path("agent/faq/", faq_staff.entry_list, name="faq-manage"),
        path("agent/faq/new/", faq_staff.entry_create, name="faq-manage-create"),
        path("agent/faq/categories/new/", faq_staff.category_edit, name="faq-manage-category-create"),
        path("agent/faq/categories/<int:pk>/", faq_staff.category_edit, name="faq-manage-category-edit"),
        path("agent/faq/<int:pk>/", faq_staff.entry_edit, name="faq-manage-edit"),
        path("agent/faq/<int:pk>/preview/", faq_staff.entry_preview, name="faq-manage-preview"),
        path("agent/faq/<int:pk>/publish/", faq_staff.entry_publish, name="faq-manage-publish"),
        path("agent/faq/<int:pk>/unpublish/", faq_staff.entry_unpublish, name="faq-manage-unpublish"),
        path("manage/channels/", directory.channel_list, name="directory-manage"),
        path("manage/channels/<int:pk>/", directory.channel_edit, name="directory-channel-edit"),
        path("manage/phone-menu/new/", directory.phone_option_edit, name="phone-option-create"),
        path("manage/phone-menu/<int:pk>/", directory.phone_option_edit, name="phone-option-edit"),
        path("manage/phone-menu/<int:pk>/delete/", directory.phone_option_delete, name="phone-option-delete"),
    ],
    "helpdesk",
)

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", staff.set_language, name="set_language"),
    path("accounts/login/", staff.StaffLoginView.as_view(), name="login"),
    path("accounts/logout/", staff.StaffLogoutView.as_view(), name="logout"),
    # The emailed link to choose a password (helpdesk.mail.outbox.password_link): Django's own views.
    path(
        "accounts/password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include(app_urls)),
    # The feedback app: surveys, lessons, dashboard, themes (a dotted string: helpdesk never imports it)
    path("", include("feedback.urls")),
    # The crisis app: incidents, updates, briefings, compensation, and the banner's pages
    path("crisis/", include("crisis.urls")),
]
