"""Development settings on a fresh SQLite file named by SITE_DATABASE, tables made from the models."""

import os

from config.dev_settings import *  # noqa: F403


class NoMigrations(dict):
    # Tables straight from the models: the walk checks pages, not the migrations (the suite does).
    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


MIGRATION_MODULES = NoMigrations()
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["SITE_DATABASE"]}}
# The demo logins' passwords hashed as in the rest of the suite: PBKDF2's million rounds cost
# about a second of CPU for each of them, and the walk signs in with force_login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
