"""URLs of the feedback app (namespace "feedback"), included by the root URLs (config.urls) when installed."""

from django.urls import path

from feedback.views import dashboard, lessons, recurring_complaints, review, surveys, theme_changes, themes

app_name = "feedback"

urlpatterns = [
    # themes and recurring complaints
    path("manage/themes/", themes.theme_list, name="theme-list"),
    path("manage/themes/<int:pk>/", themes.theme_detail, name="theme-detail"),
    path("manage/themes/<int:pk>/title/", themes.theme_rename, name="theme-rename"),
    path("manage/themes/<int:pk>/answers/", themes.reply_draft, name="theme-reply-draft"),
    path("manage/themes/<int:pk>/move/", theme_changes.theme_hand_over, name="theme-hand-over"),
    path("manage/themes/merges/", theme_changes.merge_proposal_list, name="merge-proposal-list"),
    path(
        "manage/themes/merges/<int:pk>/accept/",
        theme_changes.merge_proposal_accept,
        name="merge-proposal-accept",
    ),
    path(
        "manage/themes/merges/<int:pk>/decline/",
        theme_changes.merge_proposal_decline,
        name="merge-proposal-decline",
    ),
    path(
        "manage/theme-answers/<int:pk>/approve/",
        recurring_complaints.reply_approve,
        name="theme-reply-approve",
    ),
    path(
        "manage/theme-answers/<int:pk>/discard/",
        recurring_complaints.reply_discard,
        name="theme-reply-discard",
    ),
    path(
        "manage/escalations/", recurring_complaints.recurring_complaint_list, name="recurring-complaint-list"
    ),
    path(
        "manage/escalations/rule/",
        recurring_complaints.recurring_complaint_rule,
        name="recurring-complaint-rule",
    ),
    path(
        "manage/escalations/<int:pk>/acknowledge/",
        recurring_complaints.acknowledge,
        name="recurring-complaint-acknowledge",
    ),
    path(
        "manage/escalations/<int:pk>/owner/",
        recurring_complaints.assign_owner,
        name="recurring-complaint-owner",
    ),
    path(
        "manage/escalations/<int:pk>/findings/",
        recurring_complaints.findings,
        name="recurring-complaint-findings",
    ),
    # surveys, lessons, dashboard
    path("survey/<str:token>/", surveys.survey, name="survey"),
    path("survey/<str:token>/thanks/", surveys.survey_thanks, name="survey-thanks"),
    path("survey/<str:token>/request/", surveys.survey_request, name="survey-request"),
    path("survey/<str:token>/opt-out/", surveys.opt_out, name="survey-opt-out"),
    path("survey/<str:token>/unsubscribe/", surveys.one_click_unsubscribe, name="survey-unsubscribe"),
    path("manage/", dashboard.manager_dashboard, name="dashboard"),
    path("manage/charts/<slug:key>.csv", dashboard.chart_csv, name="chart-csv"),
    path("manage/surveys/review/", review.review_list, name="review-list"),
    path("manage/surveys/<int:pk>/reviewed/", review.mark_reviewed, name="survey-reviewed"),
    path("manage/surveys/settings/", review.settings_list, name="survey-settings"),
    path("manage/surveys/settings/<int:queue_pk>/", review.settings_edit, name="survey-settings-edit"),
    path("agent/tickets/<str:reference>/lesson/", lessons.record_lesson, name="lesson-record"),
    path("agent/tickets/<str:reference>/lesson/prompt/", lessons.lesson_prompt, name="lesson-prompt"),
    path("agent/lessons/", lessons.knowledge_base, name="knowledge-base"),
    path("agent/lessons/recent/", lessons.recent_lessons, name="lessons-recent"),
    path("agent/lessons/<int:pk>/share/", lessons.share_lesson, name="lesson-share"),
    path("manage/lessons/<int:pk>/faq/", lessons.lesson_to_faq, name="lesson-faq"),
]
