"""Surveys, lessons (and, from the themes work, complaint themes and escalations)."""

from feedback.models.lessons import Lesson
from feedback.models.snapshots import DashboardSnapshot
from feedback.models.surveys import Survey, SurveyOptOut, SurveySettings

__all__ = ["DashboardSnapshot", "Lesson", "Survey", "SurveyOptOut", "SurveySettings"]
