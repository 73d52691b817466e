from feedback.models.escalations import EscalationEvent, ThemeEscalation, ThemeReply, ThemeReplyDelivery
from feedback.models.themes import EscalationRule, GramFrequency, Theme, ThemeGram, ThemeMembership

__all__ = [
    "EscalationEvent",
    "EscalationRule",
    "GramFrequency",
    "Theme",
    "ThemeEscalation",
    "ThemeGram",
    "ThemeMembership",
    "ThemeReply",
    "ThemeReplyDelivery",
]
