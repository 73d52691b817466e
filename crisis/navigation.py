"""The crisis app's items in the staff menu (helpdesk.hooks.NAVIGATION)."""

from django.utils.translation import gettext_lazy as _

from helpdesk.hooks import NavLink

LINKS = [
    NavLink("agent", _("Incidents"), "crisis:incident-list", order=70),
    NavLink("manager", _("Compensation to decide"), "crisis:approvals", order=75),
]
