from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself: its system checks of settings that must agree with each other, and the
    task id on the worker's log lines."""

    name = "config"
    verbose_name = "Site"

    def ready(self):
        from django_q.signals import post_execute_in_worker, pre_execute

        from config import checks  # noqa: F401  (registers the system checks)
        from config.log_context import forget_task_id, note_task_id

        pre_execute.connect(note_task_id, dispatch_uid="config.log_context.note_task_id")
        post_execute_in_worker.connect(forget_task_id, dispatch_uid="config.log_context.forget_task_id")
