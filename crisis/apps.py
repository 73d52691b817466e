from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = _("Crisis mode")

    def ready(self):
        # The helpdesk shows our banner, briefings and compensation panels, acknowledges linked
        # requests our way, seeds our demo data and measures our pages through its registries;
        # it never imports this app.
        from crisis import bench, demo, emails, notices, panels
        from helpdesk import bench as helpdesk_bench
        from helpdesk import demo as helpdesk_demo
        from helpdesk import notices as helpdesk_notices
        from helpdesk import panels as ticket_panels
        from helpdesk.mail import outbox as helpdesk_outbox

        helpdesk_notices.register(notices.crisis_notices)
        helpdesk_notices.register(panels.unread_briefings)
        ticket_panels.register(ticket_panels.WORKSPACE, panels.workspace_compensation)
        ticket_panels.register(ticket_panels.STATUS, panels.status_compensation)
        helpdesk_outbox.register_acknowledgement_override(emails.crisis_acknowledgement)
        helpdesk_bench.register(bench.EXTENSION)
        helpdesk_demo.register_seeder(demo.seed)
