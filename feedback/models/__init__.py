"""Surveys, lessons, complaint themes and their escalations."""

from feedback.models.escalations import EscalationEvent, ThemeEscalation, ThemeReply, ThemeReplyDelivery
from feedback.models.lessons import Lesson
from feedback.models.snapshots import DashboardSnapshot
from feedback.models.surveys import Survey, SurveyLink, SurveyOptOut, SurveySettings
from feedback.models.themes import EscalationRule, GramFrequency, Theme, ThemeGram, ThemeMembership

__all__ = [
    "DashboardSnapshot",
    "EscalationEvent",
    "EscalationRule",
    "GramFrequency",
    "Lesson",
    "Survey",
    "SurveyLink",
    "SurveyOptOut",
    "SurveySettings",
    "Theme",
    "ThemeEscalation",
    "ThemeGram",
    "ThemeMembership",
    "ThemeReply",
    "ThemeReplyDelivery",
]
