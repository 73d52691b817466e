"""URLs of the feedback app (namespace "feedback"), included by the root URLs (config.urls) when installed."""

from django.urls import path

from feedback.views import dashboard, escalations, lessons, review, surveys, themes

app_name = "feedback"

urlpatterns = [
    # themes and escalations
    path("manage/themes/", themes.theme_list, name="theme-list"),
    path("manage/themes/<int:pk>/", themes.theme_detail, name="theme-detail"),
    path("manage/themes/<int:pk>/title/", themes.theme_rename, name="theme-rename"),
    path("manage/themes/<int:pk>/answers/", themes.reply_draft, name="theme-reply-draft"),
    path("manage/theme-answers/<int:pk>/approve/", escalations.reply_approve, name="theme-reply-approve"),
    path("manage/theme-answers/<int:pk>/discard/", escalations.reply_discard, name="theme-reply-discard"),
    path("manage/escalations/", escalations.escalation_list, name="escalation-list"),
    path("manage/escalations/rule/", escalations.escalation_rule, name="escalation-rule"),
    path("manage/escalations/<int:pk>/acknowledge/", escalations.acknowledge, name="escalation-acknowledge"),
    path("manage/escalations/<int:pk>/owner/", escalations.assign_owner, name="escalation-owner"),
    path("manage/escalations/<int:pk>/findings/", escalations.findings, name="escalation-findings"),
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
