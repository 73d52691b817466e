from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site itself: its system checks of settings that must agree with each other."""

    name = "config"
    verbose_name = "Site"

    def ready(self):
        from config import checks  # noqa: F401  (registers the system checks)
