from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        # What we add to the helpdesk and to crisis, through their hooks; neither imports us.
        from crisis import hooks as crisis_hooks
        from feedback import incident_report, navigation, notices, personal_data, tasks
        from feedback.surveys import customer_facts, customer_preferences, scheduling
        from helpdesk import hooks

        for link in navigation.LINKS:
            hooks.NAVIGATION.add(link)
        hooks.STAFF_PAGE_NOTICES.add(notices.shared_lessons)
        hooks.WORKSPACE_NOTICES.add(notices.lesson_prompt)
        hooks.CUSTOMER_FACTS.add(customer_facts.survey_opt_out)
        hooks.CUSTOMER_PREFERENCES.add(customer_preferences.SURVEYS)
        hooks.COMPLAINT_ARRIVED.add(tasks.enqueue_grouping)
        hooks.PERSONAL_DATA_ERASURE.add(personal_data.erase)
        hooks.REQUEST_PERSONAL_DATA_ERASURE.add(personal_data.erase_request)
        hooks.PERSONAL_DATA_EXPORT.add(personal_data.export)
        crisis_hooks.INCIDENT_RESOLVED.add(scheduling.follow_up_incident)
        crisis_hooks.REPORT_SECTIONS.add(("satisfaction", incident_report.satisfaction))
