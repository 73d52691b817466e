"""English as written in Europe (en-GB): the day before the month, and the 24-hour clock used on
every other page and in Hungarian and Polish. Django's "en" formats are American (12/04/2026,
Dec. 4, 2026, 2:30 p.m.), which a reader in Budapest or Warsaw takes for the 12th of April."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j M Y, H:i"  # 4 Dec 2026, 14:30
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 04/12/2026 14:30
