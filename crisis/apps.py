from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = _("Crisis mode")

    def ready(self):
        # What we add to the helpdesk's pages, emails and menu, through its hooks; the helpdesk
        # never imports this app.
        from crisis import (
            customer_facts,
            customer_preferences,
            emails,
            navigation,
            notices,
            panels,
            personal_data,
        )
        from helpdesk import hooks

        for link in navigation.LINKS:
            hooks.NAVIGATION.add(link)
        hooks.CUSTOMER_PAGE_NOTICES.add(notices.customer_notices)
        hooks.CUSTOMER_PAGE_NOTICES.add(panels.unread_briefings)
        hooks.STAFF_PAGE_NOTICES.add(notices.staff_notices)
        hooks.LOBBY_NOTICES.add(notices.lobby_notices)
        hooks.STAFF_PAGE_NOTICES.add(panels.unread_briefings)
        hooks.WORKSPACE_NOTICES.add(notices.ticket_notices)
        hooks.WORKSPACE_PANELS.add(panels.workspace_compensation)
        hooks.CUSTOMER_FACTS.add(customer_facts.incident_updates)
        hooks.CUSTOMER_PREFERENCES.add(customer_preferences.INCIDENT_UPDATES)
        hooks.STATUS_NOTICES.add(notices.status_page_notices)
        hooks.STATUS_PANELS.add(panels.status_compensation)
        hooks.ACKNOWLEDGEMENT_OVERRIDES.add(emails.crisis_acknowledgement)
        hooks.PERSONAL_DATA_ERASURE.add(personal_data.erase)
        hooks.REQUEST_PERSONAL_DATA_ERASURE.add(personal_data.erase_request)
        hooks.PERSONAL_DATA_EXPORT.add(personal_data.export)
