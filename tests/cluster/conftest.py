"""Several machines on one: web processes on their own ports and worker processes, each a real
process of its own, sharing the test's PostgreSQL database and one Redis database.

Every test here is marked `cluster`; they need PostgreSQL (DATABASE_URL=postgres://…) and Redis
(CLUSTER_REDIS, redis://127.0.0.1:6379 by default; each test empties a database of its own
there: 5 and 10 to 13) and are skipped without them.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import redis
from django.db import connection

from tests.crisis.conftest import incident, make_incident  # noqa: F401 (fixtures used here too)
from tests.helpdesk.local_smtp import free_port
from tests.helpdesk.test_worker import PROJECT, database_url_of_test_database, stop_as_its_unit_does

REDIS = os.environ.get("CLUSTER_REDIS", "redis://127.0.0.1:6379")


@pytest.fixture
def shared_redis(request):
    """The Redis database every process of the cluster shares, emptied for the test. Each test
    names its own (`@pytest.mark.parametrize("shared_redis", [13], indirect=True)`), so tests
    running side by side never read each other's queue."""
    url = f"{REDIS}/{request.param}"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"the cluster check needs Redis at {url}")
    client.flushdb()
    yield url
    client.flushdb()


@pytest.fixture
def node_environment(shared_redis):
    if connection.vendor != "postgresql":
        pytest.skip("the cluster's processes need a database they share: run with DATABASE_URL=postgres://…")

    def environment(**extra) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url_of_test_database(),
            "REDIS_URL": shared_redis,
            **extra,
        }

    return environment


def start_process(arguments: list[str], env: dict[str, str]) -> subprocess.Popen:
    # A file, not a pipe: a pipe nobody reads fills up and stalls the process.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the process in stop())
    process = subprocess.Popen(
        [sys.executable, *arguments],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so a kill takes every process of it
    )
    process.log = log
    return process


def log_of(process: subprocess.Popen) -> str:
    process.log.seek(0)
    return process.log.read().decode(errors="replace")


def stop(process: subprocess.Popen) -> None:
    stop_as_its_unit_does(process, timeout=20)
    process.log.close()


def wait_until(condition, *, seconds: float, processes=()) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting on the cluster"
        for process in processes:
            if process.poll() is not None and not condition():
                pytest.fail(f"a process of the cluster stopped: {log_of(process)[-2000:]}")
        time.sleep(0.2)  # polling real processes, not waiting out business time


class WebNode:
    """The production web server on a loopback port of its own: gunicorn with a uvicorn worker on
    the ASGI application (deploy/systemd/helpdesk-web.service), so it serves the pages and their
    push channel (/events/) side by side."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = start_process(
            [
                "-m",
                "gunicorn",
                "config.asgi:application",
                "--worker-class",
                "uvicorn_worker.UvicornWorker",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--no-control-socket",
            ],
            env,
        )

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5):  # noqa: S310 (loopback)
                return True
        except OSError:  # not listening yet, or still loading the application
            return False


class Visitor:
    """One person's browser: its cookies go with it to whichever web node it reaches."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects()
        )

    def get(self, url: str) -> tuple[int, str]:
        return self.request(urllib.request.Request(url))  # noqa: S310 (loopback only)

    def post_form(self, url: str, fields: dict[str, str], *, token_from: str) -> tuple[int, str]:
        _status, page = self.get(token_from)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True).encode()
        return self.request(urllib.request.Request(url, data=body, method="POST"))  # noqa: S310

    def request(self, request) -> tuple[int, str]:
        request.add_header("Accept-Language", "en")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class EventStream:
    """A page's push channel as its EventSource reads it: the messages, one at a time."""

    def __init__(self, url: str, *, visitor: Visitor | None = None):
        """Opened by `visitor`'s browser (its cookies: an agent's page), else without cookies."""
        opener = visitor.opener if visitor else urllib.request.build_opener()
        self.response = opener.open(url, timeout=30)
        assert self.response.headers["Content-Type"].startswith("text/event-stream")

    def next_message(self) -> dict[str, str]:
        """The next message (comments, the stream's "still here", skipped)."""
        fields: dict[str, str] = {}
        while line := self.response.readline().decode():
            line = line.rstrip("\n")
            if not line:
                if fields:
                    return fields
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            fields[name] = value
        return fields

    def close(self) -> None:
        self.response.close()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
