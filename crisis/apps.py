from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = _("Crisis mode")

    def ready(self):
        # The helpdesk shows our banner, acknowledges linked requests our way and measures our
        # pages through its registries; it never imports this app.
        from crisis import bench, emails, notices
        from helpdesk import bench as helpdesk_bench
        from helpdesk import emails as helpdesk_emails
        from helpdesk import notices as helpdesk_notices

        helpdesk_notices.register(notices.crisis_notices)
        helpdesk_emails.register_acknowledgement_override(emails.crisis_acknowledgement)
        helpdesk_bench.register(bench.measure_crisis)
