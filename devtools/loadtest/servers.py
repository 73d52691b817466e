"""The production set-up on this machine's loopback: gunicorn with uvicorn workers on the ASGI
application (as deploy/systemd/helpdesk-web.service and the Procfile run it) and the worker
(qcluster), with config.settings and DEBUG off, on the load test's own database and Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

PROJECT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"  # the only address the load test ever serves or targets


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(*, database_url: str, redis_url: str, push: bool) -> dict[str, str]:
    """Production settings, runnable on the loopback: a throwaway key, this host only, plain HTTP
    (no TLS redirect, no HSTS: nothing sits in front to speak TLS)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LIVE_", "SECURE_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        # The key the load test's sessions were signed with (the command's own).
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LIVE_PUSH": "1" if push else "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


class Process:
    """A server process in a process group of its own, its output in a file (a pipe nobody
    reads would fill up and stall it)."""

    def __init__(self, arguments: list[str], env: dict[str, str]):
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.popen = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, *arguments],
            cwd=PROJECT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.popen.pid

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.popen.wait()

    def close(self) -> None:
        self.log.close()


def web(env: dict[str, str], *, port: int, workers: int) -> Process:
    return Process(
        [
            "-m",
            "gunicorn",
            "config.asgi:application",
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            # As deploy/systemd/helpdesk-web.service: an idle connection is kept 75 s (the pages'
            # connections are reused between requests, as nginx's are).
            "--keep-alive",
            "75",
            "--forwarded-allow-ips=",
            "--no-control-socket",
            "--graceful-timeout",
            "5",
            # A stream lasts minutes; gunicorn's timeout watches the worker's heartbeat, not requests.
            "--timeout",
            "60",
        ],
        env,
    )


def worker(env: dict[str, str]) -> Process:
    return Process(["manage.py", "qcluster"], env)


def wait_until_serving(process: Process, url: str, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"the web server stopped:\n{process.output()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (loopback only)
                return
        except urllib.error.HTTPError:
            return  # it answers (/healthz says 503 until the worker's first heartbeat)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the web server did not answer within {seconds:.0f} s:\n{process.output()[-3000:]}")
