"""Development settings: the production settings plus the development tools.

`make run`, `make test`, `make bench` and the demo data use these (DJANGO_SETTINGS_MODULE is set
by the Makefile and by pytest); production never installs devtools (config.settings).
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405
