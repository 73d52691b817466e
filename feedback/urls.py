"""URLs of the feedback app, namespaced `feedback:` and included at the site root."""

from django.urls import path

from feedback.views import dashboard, lessons, review, surveys

app_name = "feedback"

urlpatterns = [
    # surveys, lessons, dashboard
    path("survey/<str:token>/", surveys.survey, name="survey"),
    path("survey/<str:token>/thanks/", surveys.survey_thanks, name="survey-thanks"),
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
