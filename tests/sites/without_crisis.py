# feedback is built on crisis (its incident follow-ups and report section): both go.
from tests.sites.base import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("crisis", "feedback")]  # noqa: F405
