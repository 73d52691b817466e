"""Surveys, lessons, complaint themes and their recurring complaints."""

from feedback.models.lessons import Lesson
from feedback.models.recurring_complaints import (
    RecurringComplaint,
    RecurringComplaintEvent,
    ThemeReply,
    ThemeReplyDelivery,
)
from feedback.models.snapshots import DashboardSnapshot
from feedback.models.surveys import Survey, SurveyLink, SurveyOptOut, SurveySettings
from feedback.models.theme_changes import ThemeEvent, ThemeMergeProposal, ThemeSeparation
from feedback.models.themes import GramFrequency, RecurringComplaintRule, Theme, ThemeGram, ThemeMembership

__all__ = [
    "DashboardSnapshot",
    "GramFrequency",
    "Lesson",
    "RecurringComplaint",
    "RecurringComplaintEvent",
    "RecurringComplaintRule",
    "Survey",
    "SurveyLink",
    "SurveyOptOut",
    "SurveySettings",
    "Theme",
    "ThemeEvent",
    "ThemeGram",
    "ThemeMembership",
    "ThemeMergeProposal",
    "ThemeReply",
    "ThemeReplyDelivery",
    "ThemeSeparation",
]
