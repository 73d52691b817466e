from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = _("Crisis mode")

    def ready(self):
        # The helpdesk shows our banner, briefings and compensation panels and acknowledges
        # linked requests our way through its registries; it never imports this app.
        from crisis import emails, notices, panels
        from helpdesk import emails as helpdesk_emails
        from helpdesk import notices as helpdesk_notices
        from helpdesk import panels as ticket_panels

        helpdesk_notices.register(notices.crisis_notices)
        helpdesk_notices.register(panels.unread_briefings)
        ticket_panels.register(ticket_panels.WORKSPACE, panels.workspace_compensation)
        ticket_panels.register(ticket_panels.STATUS, panels.status_compensation)
        helpdesk_emails.register_acknowledgement_override(emails.crisis_acknowledgement)
