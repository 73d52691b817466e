"""Settings come from the environment, refuse bad values, and are production-safe."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config import checks
from config.env import env_bool, env_int, env_list, env_networks

PROJECT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "helpdesk.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://helpdesk.example.com",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.com",
    "DEFAULT_FROM_EMAIL": "Helpdesk <help@example.com>",
}


def run_django(*args, env=None):
    """Run Python in a fresh process, with DEBUG and SECRET_KEY only as `env` gives them."""
    unwanted = {"DEBUG", "SECRET_KEY", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "OPENBLAS_NUM_THREADS"}
    base = {k: v for k, v in os.environ.items() if k not in unwanted}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("Off", False), ("", False)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_rejects_a_typo_instead_of_guessing(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", default=False)


def test_env_int_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("PORT", "80a")
    with pytest.raises(ImproperlyConfigured, match="PORT"):
        env_int("PORT", 25)


def test_env_list_trims_and_drops_empty_items(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example ,, b.example ")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("-c", "import django; django.setup()", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_variables():
    result = run_django("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_when_mail_would_only_be_printed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [w.id for w in checks.check_email_is_delivered(None)] == ["helpdesk.W001"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert checks.check_email_is_delivered(None) == []


def test_deploy_check_warns_about_a_localhost_sender(settings):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <helpdesk@localhost>"
    assert [w.id for w in checks.check_from_address(None)] == ["helpdesk.W002"]


@pytest.mark.long
def test_worker_uses_the_database_broker_by_default():
    result = run_django(
        "-c",
        "import django; django.setup(); from django_q.brokers import get_broker; "
        "print(type(get_broker()).__name__)",
        env={"DEBUG": "1", "DATABASE_URL": "sqlite://:memory:"},
    )
    assert result.stdout.strip() == "ORM", result.stderr


# Twenty requests each in a context of its own (as the ASGI server serves them, a push stream's
# view in a thread of Django's), each reading and writing the cache; prints how many Redis
# connection pools the process made for them.
CACHE_IN_FRESH_CONTEXTS = """
import asyncio, django; django.setup()
import redis
from asgiref.sync import sync_to_async
from django.core.cache import cache

pools = []
from_url = redis.ConnectionPool.from_url.__func__
redis.ConnectionPool.from_url = classmethod(lambda cls, *a, **k: pools.append(1) or from_url(cls, *a, **k))

def view(n):
    cache.set(f"context-{n}", n, 30)
    assert cache.get(f"context-{n}") == n

async def main():
    for n in range(20):
        await asyncio.create_task(sync_to_async(view)(n))

asyncio.run(main())
print(len(pools))
"""


@pytest.mark.long
def test_a_process_keeps_one_redis_pool_whatever_the_contexts_its_requests_run_in():
    """Django keeps a cache object per context: each made a pool, so a Redis connection, of its
    own, and a push stream held its one for the stream's life."""
    result = run_django(
        "-c", CACHE_IN_FRESH_CONTEXTS, env={"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    )
    if "Connection refused" in result.stderr and os.environ.get("CI") != "true":
        pytest.skip("no Redis server on 127.0.0.1:6379")
    assert result.stdout.strip() == "1", result.stderr


@pytest.mark.long
def test_redis_url_switches_the_worker_to_redis():
    result = run_django(
        "-c",
        "import django; django.setup(); from django_q.brokers import get_broker; "
        "b = get_broker(); print(type(b).__name__, b.ping())",
        env={"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"},
    )
    if "Connection refused" in result.stderr and os.environ.get("CI") != "true":
        pytest.skip("no Redis server on 127.0.0.1:6379")
    assert result.stdout.strip() == "Redis True", result.stderr


@pytest.mark.long
def test_redis_url_gives_the_web_processes_one_shared_cache():
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('shared-check', 'seen', 30); from django.core.cache import caches; "
        "print(type(caches['default']).__name__)"
    )
    result = run_django("-c", code, env={"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"})
    if "Connection refused" in result.stderr and os.environ.get("CI") != "true":
        pytest.skip("no Redis server on 127.0.0.1:6379")
    assert result.stdout.strip() == "SharedRedisCache", result.stderr
    # another process reads what this one wrote
    read = run_django(
        "-c",
        "import django; django.setup(); from django.core.cache import cache; print(cache.get('shared-check'))",
        env={"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"},
    )
    assert read.stdout.strip() == "seen", read.stderr


def test_without_redis_each_process_has_its_own_memory_cache():
    code = "import django; django.setup(); from django.core.cache import caches; print(type(caches['default']).__name__)"
    result = run_django("-c", code, env={"DEBUG": "1", "DATABASE_URL": "sqlite://:memory:"})
    assert result.stdout.strip() == "LocMemCache", result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("variable", ["SIGN_IN_FAILURE_LIMIT", "SIGN_IN_LOCKOUT_MINUTES"])
def test_sign_in_throttling_refuses_to_be_switched_off_by_a_zero(variable):
    result = run_django("-c", "import django; django.setup()", env={"DEBUG": "1", variable: "0"})
    assert result.returncode != 0
    assert "SIGN_IN_FAILURE_LIMIT and SIGN_IN_LOCKOUT_MINUTES must be at least 1" in result.stderr


def test_a_crisis_update_batch_of_nobody_is_refused():
    # A batch of 0 would write no message and record the sending as finished.
    result = run_django(
        "-c", "import django; django.setup()", env={"DEBUG": "1", "INCIDENT_UPDATE_BATCH": "0"}
    )
    assert result.returncode != 0
    assert "INCIDENT_UPDATE_BATCH must be at least 1" in result.stderr


def site_url(env):
    """SITE_URL as a process started with `env` reads it (SITE_URL itself unset unless given)."""
    base = {"SITE_URL": "", "HOST": "", "PORT": "", **env}
    result = run_django("-c", "from django.conf import settings; print(settings.SITE_URL)", env=base)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("", "", "http://127.0.0.1:8000"),
        ("127.0.0.1", "8100", "http://127.0.0.1:8100"),
        ("0.0.0.0", "8080", "http://127.0.0.1:8080"),  # noqa: S104 (everywhere: linked from this machine)
        ("localhost", "8100", "http://localhost:8100"),
        ("::1", "8100", "http://[::1]:8100"),
    ],
)
def test_in_development_links_follow_the_address_served(host, port, expected):
    assert site_url({"DEBUG": "1", "HOST": host, "PORT": port}) == expected


def test_a_site_url_that_is_set_wins_over_host_and_port():
    everywhere = "0.0.0.0"  # noqa: S104 (what `make run` is told to listen on)
    env = {"DEBUG": "1", "HOST": everywhere, "PORT": "8100", "SITE_URL": "https://help.example.com/"}
    assert site_url(env) == "https://help.example.com"


def test_production_links_never_follow_a_development_port():
    assert site_url({**PRODUCTION_ENV, "PORT": "8100"}) == "http://127.0.0.1:8000"


def test_a_port_that_is_not_a_number_is_refused():
    result = run_django(
        "-c", "import django; django.setup()", env={"DEBUG": "1", "PORT": "80a", "SITE_URL": ""}
    )
    assert "PORT must be a whole number" in result.stderr


def test_trusted_proxies_are_read_as_networks_and_a_typo_is_refused(monkeypatch):
    monkeypatch.setenv("PROXIES", "10.0.0.5, 10.1.0.0/16,2001:db8::/32")
    assert env_networks("PROXIES") == ["10.0.0.5/32", "10.1.0.0/16", "2001:db8::/32"]

    monkeypatch.setenv("PROXIES", "10.0.0.5,10.0.0.300")
    with pytest.raises(ImproperlyConfigured, match=r"PROXIES.*10\.0\.0\.300"):
        env_networks("PROXIES")


def storages_with(**env):
    script = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.STORAGES))"
    result = run_django("-c", script, env={"DEBUG": "1", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_files_are_kept_on_the_servers_disk_by_default():
    assert storages_with()["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_file_storage_s3_keeps_files_in_a_private_bucket():
    storages = storages_with(
        FILE_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="helpdesk-files",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
    )

    assert storages["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "helpdesk-files",
            "region_name": "eu-central-1",
            "endpoint_url": "https://s3.example.net",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    # The static files stay with the web process (whitenoise), wherever the uploads go.
    assert storages["staticfiles"]["BACKEND"].startswith("django.contrib.staticfiles")


def test_file_storage_s3_without_a_bucket_refuses_to_start():
    result = run_django("-c", "import django; django.setup()", env={"DEBUG": "1", "FILE_STORAGE": "s3"})
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_file_storage_refuses_to_start():
    result = run_django("-c", "import django; django.setup()", env={"DEBUG": "1", "FILE_STORAGE": "ftp"})
    assert result.returncode != 0
    assert "FILE_STORAGE must be local or s3" in result.stderr


def test_the_check_names_the_package_object_storage_needs():
    if importlib.util.find_spec("storages") is not None:
        pytest.skip("django-storages is installed here")
    env = {"DEBUG": "1", "FILE_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "helpdesk-files"}

    result = run_django("manage.py", "check", env=env)

    assert result.returncode != 0
    assert "helpdesk.E001" in result.stderr
    assert 'pip install "helpdesk[s3]"' in result.stderr


def test_sessions_are_read_from_the_shared_cache_only_when_there_is_one():
    code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)"
    with_redis = run_django("-c", code, env={"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"})
    without = run_django("-c", code, env={"DEBUG": "1", "DATABASE_URL": "sqlite://:memory:"})

    assert with_redis.stdout.strip() == "django.contrib.sessions.backends.cached_db", with_redis.stderr
    # A memory cache is each process's own: a session ended in one would live on in another.
    assert without.stdout.strip() == "django.contrib.sessions.backends.db", without.stderr


BLAS_THREADS = """
import json, django
django.setup()
import numpy, threadpoolctl
numpy.ones((400, 384), dtype=numpy.float32) @ numpy.ones((384, 2), dtype=numpy.float32)
print(json.dumps([pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]))
"""


def test_numpys_products_run_in_one_thread_in_every_process_of_the_site():
    """The theme grouping's products (the worker, beside the web processes on few cores): a BLAS
    thread per core took twice the CPU for a tenth less wall time (docs/performance.md)."""
    result = run_django("-c", BLAS_THREADS, env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [1]
