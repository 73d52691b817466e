from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from feedback import tasks
        from helpdesk import complaint_hooks

        complaint_hooks.register(tasks.enqueue_grouping)
