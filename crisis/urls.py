"""The crisis area at /crisis/ (namespace "crisis"): staff pages, and the customers' pages the banner
leads to."""

from django.urls import path

from crisis.views import (
    approvals,
    audit,
    briefing,
    compensation,
    incidents,
    linking,
    policies,
    public,
    report,
    updates,
)

app_name = "crisis"

urlpatterns = [
    # Incidents, public updates, linking (staff)
    path("", incidents.incident_list, name="incident-list"),
    path("incidents/new/", incidents.incident_declare, name="incident-declare"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/state/", incidents.incident_move, name="incident-move"),
    path("incidents/<int:pk>/subscribers/", incidents.subscriber_list, name="subscribers"),
    path("incidents/<int:pk>/suggestions/", linking.suggestions, name="suggestions"),
    path("incidents/<int:pk>/link/", linking.link_bulk, name="link-bulk"),
    path("incidents/<int:pk>/link-ticket/", linking.link_ticket, name="link-ticket"),
    path("incidents/<int:pk>/updates/new/", updates.update_draft, name="update-draft"),
    path("incidents/<int:pk>/resolve/", updates.update_draft, {"final": True}, name="update-draft-final"),
    path("updates/<int:pk>/", updates.update_detail, name="update-detail"),
    path("updates/<int:pk>/approve/", updates.update_approve, name="update-approve"),
    path("updates/<int:pk>/reject/", updates.update_reject, name="update-reject"),
    path("updates/<int:pk>/progress/", updates.update_progress, name="update-progress"),
    # Customers: "I am affected", email updates (double opt-in), one-click unsubscribe
    path("report/<int:pk>/", public.report, name="report"),
    path("subscribe/<int:pk>/", public.subscribe, name="subscribe"),
    path("subscriptions/<str:token>/", public.subscription_confirm, name="subscription-confirm"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    # briefing, compensation, report
    path("incidents/<int:pk>/briefing/", briefing.briefing_detail, name="briefing"),
    path("incidents/<int:pk>/briefing/edit/", briefing.briefing_edit, name="briefing-edit"),
    path("briefings/<int:pk>/read/", briefing.briefing_acknowledge, name="briefing-acknowledge"),
    path("incidents/<int:pk>/compensation/", policies.policy_list, name="policies"),
    path(
        "incidents/<int:pk>/compensation/policies/<int:policy_pk>/", policies.policy_edit, name="policy-edit"
    ),
    path("incidents/<int:pk>/compensation/propose-all/", compensation.proposal_for_all, name="propose-all"),
    path("incidents/<int:pk>/report/", report.incident_report, name="incident-report"),
    path("tickets/<str:reference>/compensation/new/", compensation.proposal_new, name="proposal-new"),
    path("compensation/", approvals.approval_queue, name="approvals"),
    path("compensation/decide/", approvals.decide_in_bulk, name="decide-in-bulk"),
    path("compensation/limits/", policies.limit_list, name="limits"),
    path("compensation/limits/<int:pk>/remove/", policies.limit_remove, name="limit-remove"),
    path("compensation/thresholds/", policies.threshold_list, name="thresholds"),
    path("compensation/audit/", audit.audit_trail, name="audit"),
    path("compensation/audit.csv", audit.audit_csv, name="audit-csv"),
    path("compensation/<int:pk>/", compensation.proposal_detail, name="proposal"),
    path("compensation/<int:pk>/approve/", compensation.approve, name="proposal-approve"),
    path("compensation/<int:pk>/reject/", compensation.reject, name="proposal-reject"),
    path("compensation/<int:pk>/withdraw/", compensation.withdraw, name="proposal-withdraw"),
    path("compensation/<int:pk>/fulfil/", compensation.fulfil, name="proposal-fulfil"),
    path("compensation/<int:pk>/review/", compensation.review, name="proposal-review"),
]
