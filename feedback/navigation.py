"""The feedback app's items in the staff menu (helpdesk.hooks.NAVIGATION)."""

from django.utils.translation import gettext_lazy as _

from helpdesk.hooks import NavLink

LINKS = [
    NavLink("agent", _("Lessons"), "feedback:knowledge-base", order=60),
    NavLink("manager", _("Dashboard"), "feedback:dashboard", order=5),
    NavLink("manager", _("Recurring complaints"), "feedback:recurring-complaint-list", order=30),
    NavLink("manager", _("Survey answers to review"), "feedback:review-list", order=31),
    NavLink("manager", _("Survey settings"), "feedback:survey-settings", order=32),
]
