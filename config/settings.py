"""Settings for the helpdesk, read from the environment (see README, "Configuration").

These are the production settings: wsgi, asgi and manage.py use them unless DJANGO_SETTINGS_MODULE
says otherwise. Development (make run, make test, make bench) adds config.dev_settings' tools.
"""

import os
import socket
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    development_site_url,
    env_addresses,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# numpy's BLAS (the theme grouping's products in the worker) starts a thread per core unless told
# otherwise, read once as numpy loads, which is after the settings in every process of the site.
# Beside the web processes on few cores the threads took twice the CPU for a tenth less wall time
# (40,000 themes: 8.4 ms of CPU for 4.3 ms against 4.8 for 4.8; docs/performance.md). An
# operator's own value wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README, Configuration).")
    SECRET_KEY = "development-only-key-never-used-with-debug-off-" + "x" * 16

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form gets the site's own translated page instead of Django's bare English one.
CSRF_FAILURE_VIEW = "helpdesk.views.csrf_failure.csrf_failure"

INSTALLED_APPS = [
    "helpdesk.admin_site.StaffAdminConfig",  # django.contrib.admin, for managers and superusers
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "csp",
    # The API's interactive docs are served from its bundled static files, never a CDN.
    "ninja",
    # Sign-in throttling: failed sign-ins counted per account and per client address.
    "axes",
    # The site's own checks (config.checks).
    "config",
    # The product: the helpdesk, and the two apps built on it. Either optional app can be left
    # out (feedback needs crisis); the site's navigation is what the installed apps contribute.
    "helpdesk",
    "crisis",
    "feedback",
    # The worker cluster, after the helpdesk: its `qcluster` command is the helpdesk's, which
    # also beats the node's heartbeat (a command of an app listed earlier wins).
    "django_q",
]

MIDDLEWARE = [
    # First: every line logged for a request carries its id (config.log_context).
    "config.log_context.RequestIdMiddleware",
    # Every pooled connection busy too long: "try again in a moment" (503), not a server error.
    "config.database_busy.DatabaseBusyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "helpdesk.csrf.CsrfViewMiddleware",  # Django's, plus Origin: null from our own pages (see it)
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a sign-in refused during a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Django's check for its CSRF middleware matches the class name only; config.checks checks ours.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "helpdesk.context_processors.roles",
                "helpdesk.context_processors.navigation",
                "helpdesk.context_processors.notices",
                "helpdesk.context_processors.agent_alerts",
                "helpdesk.context_processors.live_stream",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL names another (PostgreSQL in CI
# and production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to the same file: wait for locks instead of failing,
    # take the write lock up front, and let readers work beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default random_page_cost (4) describes spinning disks; on SSDs and with the
    # working set in memory, 1.1 is the usual setting. With 4 the planner hashes every customer
    # to check a few hundred tickets of a search (see README, Performance).
    random_page_cost = env_float("DATABASE_RANDOM_PAGE_COST", 1.1)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={random_page_cost}"
    # Prepared statements: the pages run the same queries over and over, and PostgreSQL planned
    # each anew (3 ms of the queue page's 25-row query, with its joins and the tickets' indexes).
    # Bound on the server, a query run twice on a connection is prepared and its plan reused.
    # Off for a pooler in transaction mode that does not keep prepared statements (PgBouncer
    # before 1.21): DATABASE_PREPARED_STATEMENTS=0.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
    # The ASGI server (config.asgi turns this on) runs each request's code in a thread of its own:
    # a persistent connection per thread is a new PostgreSQL connection per request, never reused
    # and closed only when collected (`make loadtest` ran PostgreSQL out of connections with 20
    # open chats). There each process takes its connections from a pool of at most
    # DATABASE_POOL_SIZE, and a request gives its connection back when it ends. A request that
    # waits DATABASE_POOL_TIMEOUT seconds for one is answered 503 with Retry-After
    # (config.database_busy): better a quick "try again" than a page hanging behind a burst.
    if env_bool("DATABASE_POOL", False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_SIZE", 10),
            "timeout": env_float("DATABASE_POOL_TIMEOUT", 10),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes first: it refuses a sign-in during a lockout before any password is checked. Then Django's
# model backend, reading a signed-in user's roles and profile in the user's own query.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "helpdesk.staff_backend.StaffBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after SIGN_IN_FAILURE_LIMIT failed sign-ins for one account,
# or from one client address (helpdesk.client_address, as for every other limit), signing in is paused for
# SIGN_IN_LOCKOUT_MINUTES, counted from the last failure; a manager can lift a pause sooner
# (helpdesk.sign_in_lockouts). Attempts during a pause do not extend it, so the time the
# lockout page names stays true.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 10)
lockout_minutes = env_int("SIGN_IN_LOCKOUT_MINUTES", 30)
if AXES_FAILURE_LIMIT < 1 or lockout_minutes < 1:
    raise ImproperlyConfigured("SIGN_IN_FAILURE_LIMIT and SIGN_IN_LOCKOUT_MINUTES must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=lockout_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "helpdesk.client_address.client_ip"
AXES_LOCKOUT_CALLABLE = "helpdesk.views.sign_in_lockouts.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Managers see and lift lockouts on their own page; the admin site lists no axes models.
AXES_ENABLE_ADMIN = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "helpdesk:agent-home"
LOGOUT_REDIRECT_URL = "home"

# Languages: customers and staff choose English, Hungarian or Polish; the choice is kept in a
# cookie (and on a staff member's profile, so it follows them to another computer).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hu", _("Hungarian")), ("pl", _("Polish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in the reader's format: English is written the European way (day first, see
# config/formats/en); Hungarian and Polish keep Django's formats for them.
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE", "Europe/Budapest")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (attachments, thumbnails) are read and written through Django's storage API
# only (tests/test_architecture.py keeps it so), so where they live is this setting:
# FILE_STORAGE=local (the default) keeps them under MEDIA_ROOT, on one machine's disk or a folder
# every machine mounts; FILE_STORAGE=s3 in a private S3-compatible bucket (django-storages, the
# "s3" extra; credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or the machine's role).
FILE_STORAGE = env_str("FILE_STORAGE", "local").lower() or "local"
if FILE_STORAGE == "local":
    file_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif FILE_STORAGE == "s3":
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("FILE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME, the bucket's name.")
    file_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            # Files open only through the views that check who asks; the bucket is never public.
            "default_acl": "private",
            "querystring_auth": True,
            # Two customers' "scan.pdf" are two files, as on the disk.
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"FILE_STORAGE must be local or s3; got {FILE_STORAGE!r}.")
STORAGES = {
    "default": file_storage,
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain files in
        # development so nothing needs collecting first.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Django message levels as Bootstrap alert colours.
MESSAGE_TAGS = {message_constants.DEBUG: "secondary", message_constants.ERROR: "danger"}

# Attachments: per file, and how many files one message may carry.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", 5)
# What an outgoing email carries of a reply's files, in all: more is refused by many mail servers
# (25 MB at the large providers, with the encoding's third on top). Files past it stay on the
# status page, which every reply links to.
EMAIL_ATTACHMENTS_MAX_BYTES = env_int("EMAIL_ATTACHMENTS_MAX_BYTES", 15 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The public address of the site, for links in email and API answers ("https://helpdesk.example.com").
# In development it defaults to where `make run` serves (HOST and PORT, as the Makefile passes
# them), so the links in printed emails, slips and the API's status_url open the running server.
SITE_URL = (env_str("SITE_URL") or (development_site_url() if DEBUG else "http://127.0.0.1:8000")).rstrip("/")

# Acknowledgements to one address per hour: more than this is a loop or abuse, not a customer.
ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR = env_int("ACKNOWLEDGEMENTS_PER_ADDRESS_PER_HOUR", 3)

# The client address, for every per-client limit and record (helpdesk.client_address): the
# address the server saw, unless that is a reverse proxy listed in TRUSTED_PROXIES (addresses or
# networks, comma-separated: "10.0.0.5,10.1.0.0/16"); then the right-most address in the proxy's
# TRUSTED_PROXY_HEADER that is not a trusted proxy itself. Empty (the default) trusts nobody,
# so a header anyone can forge is never read.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER", "X-Forwarded-For") or "X-Forwarded-For"

# The public web form: new requests per client address and per email address in any hour.
WEB_FORM_LIMIT_PER_IP_PER_HOUR = env_int("WEB_FORM_LIMIT_PER_IP_PER_HOUR", 10)
WEB_FORM_LIMIT_PER_EMAIL_PER_HOUR = env_int("WEB_FORM_LIMIT_PER_EMAIL_PER_HOUR", 5)
# The status lookup (/status/): lookups per client address in 15 minutes, and requests to email
# someone their status links per client address and per email address in an hour.
STATUS_LOOKUP_LIMIT_PER_IP = env_int("STATUS_LOOKUP_LIMIT_PER_IP", 10)
STATUS_LINKS_LIMIT_PER_IP = env_int("STATUS_LINKS_LIMIT_PER_IP", 5)
STATUS_LINKS_LIMIT_PER_EMAIL = env_int("STATUS_LINKS_LIMIT_PER_EMAIL", 3)
# A customer's own copy of their data, asked for on their status page: the emailed download
# link works this many days, and one customer may ask this many times a day.
PERSONAL_DATA_LINK_DAYS = env_int("PERSONAL_DATA_LINK_DAYS", 7)
PERSONAL_DATA_LINKS_PER_CUSTOMER_PER_DAY = env_int("PERSONAL_DATA_LINKS_PER_CUSTOMER_PER_DAY", 3)

# Live chat: minutes without a sign of the customer's page before the chat ends by itself,
# and how many chats one client address may start in an hour.
CHAT_SILENCE_MINUTES = env_int("CHAT_SILENCE_MINUTES", 10)
CHAT_LIMIT_PER_IP_PER_HOUR = env_int("CHAT_LIMIT_PER_IP_PER_HOUR", 10)
# Crisis updates by email: confirmation requests one client address may send in an hour (each
# email address gets at most one an hour whatever the client).
SUBSCRIPTION_LIMIT_PER_IP_PER_HOUR = env_int("SUBSCRIPTION_LIMIT_PER_IP_PER_HOUR", 5)
# Crisis updates by email: recipients whose messages the worker writes in one transaction (a batch
# is written completely or not at all); smaller batches hold their row locks for less time.
INCIDENT_UPDATE_BATCH = env_int("INCIDENT_UPDATE_BATCH", 500)
if INCIDENT_UPDATE_BATCH < 1:
    raise ImproperlyConfigured("INCIDENT_UPDATE_BATCH must be at least 1.")

# Agents' notifications they have read are deleted this many days after reading (daily task);
# unread ones stay until read, however old.
AGENT_ALERTS_KEEP_READ_DAYS = env_int("AGENT_ALERTS_KEEP_READ_DAYS", 90)
if AGENT_ALERTS_KEEP_READ_DAYS < 1:
    raise ImproperlyConfigured("AGENT_ALERTS_KEEP_READ_DAYS must be at least 1.")
# Tickets one API integration may open per minute; more is a runaway client, answered with 429.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 60)
# A queue's pace (first answers per business hour) used for wait estimates until the worker
# has measured enough recent history of its own.
QUEUE_DEFAULT_PACE_PER_HOUR = env_int("QUEUE_DEFAULT_PACE_PER_HOUR", 4)
# Crisis compensation: business hours (in the ticket queue's calendar) a manager has to decide a
# proposal before it escalates to the next manager and shows as overdue.
COMPENSATION_DECISION_HOURS = env_int("COMPENSATION_DECISION_HOURS", 8)

# Personal data: how long each kind is kept, enforced daily by the worker
# (helpdesk.personal_data.retention; README, "Personal data"). Nothing is removed from an open
# request, whatever its age.
RETENTION_RAW_EMAIL_DAYS = env_int("RETENTION_RAW_EMAIL_DAYS", 30)  # after it was received
RETENTION_QUARANTINED_EMAIL_DAYS = env_int("RETENTION_QUARANTINED_EMAIL_DAYS", 90)  # after the decision
RETENTION_SOURCE_IP_DAYS = env_int("RETENTION_SOURCE_IP_DAYS", 30)  # after the request came in
RETENTION_ATTACHMENT_DAYS = env_int("RETENTION_ATTACHMENT_DAYS", 365)  # after the request closed
RETENTION_CHAT_TRANSCRIPT_YEARS = env_int("RETENTION_CHAT_TRANSCRIPT_YEARS", 3)  # after it closed
RETENTION_CLOSED_TICKET_YEARS = env_int("RETENTION_CLOSED_TICKET_YEARS", 3)  # after it closed
RETENTION_ACCESS_RECORD_DAYS = env_int("RETENTION_ACCESS_RECORD_DAYS", 730)  # after the look
# A period of 0 would remove personal data the day it arrives: refused at start-up.
for _name, _period in {
    "RETENTION_RAW_EMAIL_DAYS": RETENTION_RAW_EMAIL_DAYS,
    "RETENTION_QUARANTINED_EMAIL_DAYS": RETENTION_QUARANTINED_EMAIL_DAYS,
    "RETENTION_SOURCE_IP_DAYS": RETENTION_SOURCE_IP_DAYS,
    "RETENTION_ATTACHMENT_DAYS": RETENTION_ATTACHMENT_DAYS,
    "RETENTION_CHAT_TRANSCRIPT_YEARS": RETENTION_CHAT_TRANSCRIPT_YEARS,
    "RETENTION_CLOSED_TICKET_YEARS": RETENTION_CLOSED_TICKET_YEARS,
    "RETENTION_ACCESS_RECORD_DAYS": RETENTION_ACCESS_RECORD_DAYS,
}.items():
    if _period < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Helpdesk <helpdesk@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are exclusive; set one of them.")

# Incoming mail: polled by the worker when set, e.g. imaps://user:password@mail.example.com:993/INBOX
IMAP_URL = env_str("IMAP_URL")

# Background work: django-q2 on the database by default, on Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
Q_CLUSTER = {
    "name": "helpdesk",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 300,
    "retry": 360,  # must exceed timeout, or a slow task is started twice
    "max_attempts": 5,
    "queue_limit": 50,
    "catch_up": False,
    "label": _("Background tasks"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
    # With Redis at hand the web processes share one cache: the crisis banner (cached for 30 s
    # per process otherwise) and the calendars' hours change for every process at once.
    CACHES = {"default": {"BACKEND": "config.redis_cache.SharedRedisCache", "LOCATION": REDIS_URL}}
    # A signed-in request reads its session from that cache (written through to the database, so
    # a Redis restart signs nobody out): a quarter of a millisecond less per staff request than
    # the session's query. Only with a cache every process shares: signing out in one process
    # must end the session in all. The user's row is still read on every request, so a password
    # change or a deactivation still signs them out at once.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1

# Live pages (helpdesk/live): changes pushed to open pages by server-sent events, over Redis when
# REDIS_URL is set, else PostgreSQL's LISTEN/NOTIFY, else (SQLite, one process) in the process.
# LIVE_PUSH=0 turns it off: the pages poll as they did. A stream ends after
# 80-100 % of LIVE_STREAM_MAX_SECONDS (the browser reconnects after LIVE_RETRY_SECONDS and asks
# once if its channels had an event meanwhile), says "still here" every LIVE_KEEPALIVE_SECONDS
# (proxies close silent connections; the ticket page's stream at least every 10 s, as it renews
# its agent's presence: helpdesk.presence), and while it is open a page's polling slows to one look
# about every LIVE_CONNECTED_POLL_SECONDS (80-120 %, drawn per look), in case an event was lost:
# rare, as the events carry the chat's lines and typing and a reconnection catches up.
LIVE_PUSH = env_bool("LIVE_PUSH", default=True)
LIVE_STREAM_MAX_SECONDS = env_int("LIVE_STREAM_MAX_SECONDS", 300)
LIVE_KEEPALIVE_SECONDS = env_float("LIVE_KEEPALIVE_SECONDS", 15)
LIVE_RETRY_SECONDS = env_int("LIVE_RETRY_SECONDS", 3)
LIVE_CONNECTED_POLL_SECONDS = env_int("LIVE_CONNECTED_POLL_SECONDS", 300)
# An open stream holds a thread of a WSGI server: fine for the development server (a thread per
# connection), not for a pool of a few sync workers. Production serves the streams from its ASGI
# server (config.asgi under uvicorn); under WSGI, unless this is on, a page is told to poll.
LIVE_WSGI_STREAMS = env_bool("LIVE_WSGI_STREAMS", default=DEBUG)


# Each worker node beats under its own name (the machine's unless WORKER_NAME names it: set one
# per worker when a machine runs several), every WORKER_HEARTBEAT_INTERVAL seconds; /healthz
# counts a node alive while its heartbeat is younger than WORKER_HEARTBEAT_MAX_AGE.
WORKER_NAME = env_str("WORKER_NAME") or socket.gethostname()
WORKER_HEARTBEAT_INTERVAL = env_int("WORKER_HEARTBEAT_INTERVAL", 30)
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 120)
if not 1 <= WORKER_HEARTBEAT_INTERVAL < WORKER_HEARTBEAT_MAX_AGE:
    raise ImproperlyConfigured(
        "WORKER_HEARTBEAT_INTERVAL must be at least 1 and less than WORKER_HEARTBEAT_MAX_AGE."
    )

# Security: everything secure by default once DEBUG is off; a proxy that terminates TLS tells
# us so with X-Forwarded-Proto when SECURE_PROXY_SSL_HEADER is on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp). Scripts: only our own files (Bootstrap,
# htmx, the pages' scripts), plus a per-response nonce for an inline script should one ever be
# needed; no inline handlers, no eval (htmx is told not to evaluate code, see base.html).
# Styles allow inline style attributes: a few pages size bars and charts from data, and the
# API docs (Swagger UI) and the admin write styles; a style cannot run code, and everything a
# visitor types is escaped in the templates. Pictures may be data: URLs (Bootstrap's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Errors: reported to Sentry when SENTRY_DSN is set (pip install ".[sentry]"), else mailed to
# ADMINS ("Ops <ops@example.com>, dev@example.com") if any, always logged. Neither carries a
# customer's personal data: Sentry gets no cookies, client addresses, users, request bodies or
# local variables; the mail names the page by its URL pattern (config.error_mail).
ADMINS = env_addresses("ADMINS")
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install '.[sentry]', or unset SENTRY_DSN."
        ) from None
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
    )

# Logs: one line per event on the console (journald keeps it), each with the id of the request
# or task it belongs to; LOG_FORMAT=json writes each as a JSON object for a log collector.
LOG_FORMAT = env_str("LOG_FORMAT", "plain").lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json; got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "config.log_context.OneLineFormatter",
            "format": "{asctime} {levelname} {name}{context}: {message}",
            "style": "{",
        },
        "json": {"()": "config.log_context.JsonFormatter"},
    },
    "filters": {
        "log_context": {"()": "config.log_context.LogContextFilter"},
        "client_errors_without_traceback": {"()": "config.log_filters.ClientErrorsWithoutTraceback"},
        "debug_off": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["log_context"]},
        "mail_admins": {
            "class": "config.error_mail.AdminEmailWithoutPersonalData",
            "level": "ERROR",
            "filters": ["debug_off"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (a console one while DEBUG is on) wrote every line of its
        # loggers a second time beside the root's: the root's console writes them once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A refused request (403) is one warning line, without the exception's traceback.
        "django.request": {
            "filters": ["client_errors_without_traceback"],
            # With Sentry, errors go there (its logging integration reads every error) instead.
            "handlers": [] if SENTRY_DSN else ["mail_admins"],
        },
        "django.db.backends": {"level": "INFO"},
        # Axes: each failed sign-in and each lockout as a warning, without its step-by-step notes.
        "axes": {"level": "WARNING"},
    },
}
