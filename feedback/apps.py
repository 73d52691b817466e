from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from crisis import reports as crisis_reports
        from crisis.signals import incident_resolved
        from feedback import incident_report, notices, receivers, tasks
        from helpdesk import complaint_hooks
        from helpdesk import notices as helpdesk_notices

        # crisis cannot call us (it never imports feedback): its signal is the one way in.
        incident_resolved.connect(receivers.incident_resolved, dispatch_uid="feedback-incident-follow-up")
        helpdesk_notices.register(notices.lesson_prompt)
        helpdesk_notices.register(notices.shared_lessons)
        complaint_hooks.register(tasks.enqueue_grouping)
        crisis_reports.register_section("satisfaction", incident_report.satisfaction)
