from tests.sites.base import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "feedback"]  # noqa: F405
