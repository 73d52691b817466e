"""The development tools' own databases (make bench, make loadtest): created when missing."""

import psycopg
from django.db import OperationalError, connection


def create_if_missing(settings_dict) -> bool:
    """Create the database the settings name when the server has none of that name; True if
    it was created."""
    try:
        connection.ensure_connection()
    except OperationalError:
        with psycopg.connect(
            dbname="postgres",
            user=settings_dict["USER"],
            password=settings_dict["PASSWORD"],
            host=settings_dict["HOST"],
            port=settings_dict["PORT"],
            autocommit=True,
        ) as admin:
            admin.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
        return True
    return False
