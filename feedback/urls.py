"""URLs of the feedback app (namespace "feedback"), included by helpdesk.urls as a string."""

from django.urls import path

from feedback.views import escalations, themes

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
]
