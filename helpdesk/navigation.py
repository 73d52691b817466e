"""The helpdesk's items in the staff menu (helpdesk.hooks.NAVIGATION); other apps add theirs.

Orders go in tens so another app's item can stand between two of ours.
"""

from django.utils.translation import gettext_lazy as _

from helpdesk.hooks import NavLink

LINKS = [
    NavLink("agent", _("Workspace"), "helpdesk:agent-home", order=10),
    NavLink("agent", _("Log a call"), "helpdesk:call-new", order=20),
    NavLink("agent", _("Walk-in"), "helpdesk:walk-in", order=30),
    NavLink("agent", _("Mail quarantine"), "helpdesk:quarantine", order=40),
    NavLink("agent", _("Opening hours"), "helpdesk:calendars", order=50),
    NavLink("agent", _("Canned responses and macros"), "helpdesk:macros", order=60),
    NavLink("manager", _("Queues overview"), "helpdesk:queue-overview", order=10),
    NavLink("manager", _("Escalations and breaches"), "helpdesk:manager-attention", order=20),
    NavLink("manager", _("API integrations"), "helpdesk:integration-list", order=40),
    NavLink("manager", _("Sign-in lockouts"), "helpdesk:sign-in-lockouts", order=50),
    NavLink("manager", _("FAQ entries"), "helpdesk:faq-manage", order=60),
    NavLink("manager", _("Channel directory"), "helpdesk:directory-manage", order=70),
    NavLink("manager", _("Tags"), "helpdesk:tags", order=74),
    NavLink("manager", _("Staff accounts"), "helpdesk:staff", order=80),
    NavLink("manager", _("Administration"), "admin:index", order=90),
]
