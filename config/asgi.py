import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Connections from a pool per process, not one per request's thread (config/settings.py).
os.environ.setdefault("DATABASE_POOL", "1")

application = get_asgi_application()
