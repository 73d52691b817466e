"""The crisis area for staff, at /crisis/ (namespace "crisis")."""

from django.urls import path

from crisis.views import approvals, audit, briefing, compensation, policies, report

app_name = "crisis"

urlpatterns = [
    # briefing, compensation, report
    path("incidents/<int:pk>/briefing/", briefing.briefing_detail, name="briefing"),
    path("incidents/<int:pk>/briefing/edit/", briefing.briefing_edit, name="briefing-edit"),
    path("briefings/<int:pk>/read/", briefing.briefing_acknowledge, name="briefing-acknowledge"),
    path("incidents/<int:pk>/compensation/", policies.policy_list, name="policies"),
    path(
        "incidents/<int:pk>/compensation/policies/<int:policy_pk>/", policies.policy_edit, name="policy-edit"
    ),
    path("incidents/<int:pk>/compensation/propose-all/", compensation.proposal_for_all, name="propose-all"),
    path("incidents/<int:pk>/report/", report.incident_report, name="report"),
    path("tickets/<str:reference>/compensation/new/", compensation.proposal_new, name="proposal-new"),
    path("compensation/", approvals.approval_queue, name="approvals"),
    path("compensation/decide/", approvals.decide_in_bulk, name="decide-in-bulk"),
    path("compensation/limits/", policies.limit_list, name="limits"),
    path("compensation/limits/<int:pk>/remove/", policies.limit_remove, name="limit-remove"),
    path("compensation/audit/", audit.audit_trail, name="audit"),
    path("compensation/audit.csv", audit.audit_csv, name="audit-csv"),
    path("compensation/<int:pk>/", compensation.proposal_detail, name="proposal"),
    path("compensation/<int:pk>/approve/", compensation.approve, name="proposal-approve"),
    path("compensation/<int:pk>/reject/", compensation.reject, name="proposal-reject"),
    path("compensation/<int:pk>/withdraw/", compensation.withdraw, name="proposal-withdraw"),
    path("compensation/<int:pk>/fulfil/", compensation.fulfil, name="proposal-fulfil"),
    path("compensation/<int:pk>/review/", compensation.review, name="proposal-review"),
]
