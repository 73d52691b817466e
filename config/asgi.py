import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Connections from a pool per process, not one per request's thread (config/settings.py).
os.environ.setdefault("DATABASE_POOL", "1")

django_application = get_asgi_application()

# Imported once Django is set up (get_asgi_application does it): the typing heartbeat of the
# chat pages is answered before Django's request handling (helpdesk/typing_route.py).
from helpdesk.typing_route import typing_first  # noqa: E402

application = typing_first(django_application)
