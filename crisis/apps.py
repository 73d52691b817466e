from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = _("Crisis mode")

    def ready(self):
        from crisis import demo, panels
        from helpdesk import demo as helpdesk_demo
        from helpdesk import notices
        from helpdesk import panels as ticket_panels

        notices.register(panels.unread_briefings)
        ticket_panels.register(ticket_panels.WORKSPACE, panels.workspace_compensation)
        ticket_panels.register(ticket_panels.STATUS, panels.status_compensation)
        helpdesk_demo.register_seeder(demo.seed)
