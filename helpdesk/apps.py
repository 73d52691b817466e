from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Helpdesk")

    def ready(self):
        from django.db.backends.signals import connection_created

        from helpdesk import hooks, navigation, text_folding

        for link in navigation.LINKS:
            hooks.NAVIGATION.add(link)
        # Not a business rule: SQLite lacks a function the queries use (see helpdesk.text_folding).
        connection_created.connect(text_folding.register_on_sqlite, dispatch_uid="helpdesk-fold")
