"""Surveys, lessons (and, from the themes work, complaint themes and escalations)."""

from feedback.models.lessons import Lesson
from feedback.models.surveys import Survey, SurveyOptOut, SurveySettings

__all__ = ["Lesson", "Survey", "SurveyOptOut", "SurveySettings"]
