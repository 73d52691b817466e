"""The deployment files in deploy/ are what nginx and systemd accept: nginx -t on the site (with
a throwaway certificate in place of the real one) and systemd-analyze verify on the units (with
the paths of this checkout in place of /srv/helpdesk). Each check is skipped, saying why, on a
machine without the tool; CI installs nginx (.ci/run)."""

import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DEPLOY = PROJECT / "deploy"
SITE = DEPLOY / "nginx" / "helpdesk.conf"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALLED_AT = "/srv/helpdesk"
CERTIFICATE = "/etc/letsencrypt/live/helpdesk.example.com/fullchain.pem"
CERTIFICATE_KEY = "/etc/letsencrypt/live/helpdesk.example.com/privkey.pem"


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        pytest.skip(
            f"{name} is not installed (Debian: apt-get install {name}); the deploy files are unchecked"
        )
    return found


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, **kwargs)


def test_nginx_accepts_the_site(tmp_path):
    nginx, openssl = tool("nginx"), tool("openssl")
    made = run(
        openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=helpdesk.example.com",
        "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    site = (
        SITE.read_text()
        .replace(CERTIFICATE, str(tmp_path / "cert.pem"))
        .replace(CERTIFICATE_KEY, str(tmp_path / "key.pem"))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "helpdesk.conf").write_text(site)
    # Debian's nginx.conf in short: the site is included in the http block, as sites-enabled is.
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    include {tmp_path}/helpdesk.conf;\n}}\n"
    )

    result = run(
        nginx,
        "-t",
        "-p",
        str(tmp_path),
        "-e",
        str(tmp_path / "error.log"),
        "-c",
        str(tmp_path / "nginx.conf"),
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    # Debian 12's nginx (1.22) takes http2 on the listen line; from 1.25.1 on that is deprecated.
    warnings = [line for line in result.stderr.splitlines() if "[warn]" in line and "http2" not in line]
    assert warnings == []


def test_systemd_accepts_the_units(tmp_path):
    systemd_analyze = tool("systemd-analyze")
    assert [unit.name for unit in UNITS] == ["helpdesk-web.service", "helpdesk-worker.service"]
    # The units name the virtualenv's programs; here, those of the virtualenv running the tests.
    virtualenv_bin = Path(sys.executable).parent
    (tmp_path / "media").mkdir()
    for unit in UNITS:
        text = unit.read_text().replace(f"{INSTALLED_AT}/.venv/bin", str(virtualenv_bin))
        (tmp_path / unit.name).write_text(text.replace(INSTALLED_AT, str(tmp_path)))

    result = run(systemd_analyze, "verify", "--man=no", *(str(tmp_path / unit.name) for unit in UNITS))

    assert result.returncode == 0, result.stderr
    # An unknown or misspelt setting is only a warning to systemd: here it fails the check.
    assert result.stderr == ""


def test_the_web_unit_and_the_procfile_run_the_asgi_application_under_uvicorn_workers():
    web_unit = (DEPLOY / "systemd" / "helpdesk-web.service").read_text()
    procfile = (PROJECT / "Procfile").read_text()

    for command in (web_unit, procfile):
        assert "config.asgi:application" in command
        assert "--worker-class uvicorn_worker.UvicornWorker" in command
    assert "manage.py qcluster" in procfile


ENV_EXAMPLE = DEPLOY / "helpdesk.env.example"


def test_the_environment_example_lists_every_setting_the_site_reads():
    read = set(re.findall(r'env_\w+\("([A-Z_]+)"', (PROJECT / "config" / "settings.py").read_text()))
    listed = set(re.findall(r"^#?([A-Z_]+)=", ENV_EXAMPLE.read_text(), flags=re.MULTILINE))

    assert read - listed == set()


def deploy_check(values: dict[str, str]) -> subprocess.CompletedProcess:
    unwanted = {"DEBUG", "SECRET_KEY", "REDIS_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {name: value for name, value in os.environ.items() if name not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={**environment, **values, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_environment_example_passes_the_deploy_check_once_its_secret_is_set():
    # Read as systemd and a shell read it: quotes around a value are not part of it.
    lines = ENV_EXAMPLE.read_text().splitlines()
    values = dict(shlex.split(line)[0].split("=", 1) for line in lines if line and not line.startswith("#"))
    assert values["DEFAULT_FROM_EMAIL"] == "Helpdesk <help@example.com>"
    assert values["DEBUG"] == "0"

    as_shipped = deploy_check(values)
    filled_in = deploy_check({**values, "SECRET_KEY": secrets.token_urlsafe(50)})

    assert "security.W009" in as_shipped.stderr  # the placeholder secret is refused
    assert filled_in.returncode == 0, filled_in.stderr
    assert "System check identified no issues" in filled_in.stdout


def web_unit_command() -> list[str]:
    """The web unit's ExecStart as arguments (its continuation lines joined)."""
    text = (DEPLOY / "systemd" / "helpdesk-web.service").read_text().replace("\\\n", " ")
    return shlex.split(re.search(r"^ExecStart=(.*)$", text, flags=re.MULTILINE).group(1))


def nginx_upstream_keepalive_seconds() -> int:
    upstream = re.search(r"upstream helpdesk_web \{(.*?)\}", SITE.read_text(), flags=re.DOTALL).group(1)
    return int(re.search(r"^\s*keepalive_timeout (\d+)s;", upstream, flags=re.MULTILINE).group(1))


def answer(connection: socket.socket) -> bytes:
    """One request on this connection and its whole answer (b"" if the server closed it)."""
    connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    received = b""
    try:
        while b"\r\n\r\n" not in received or len(received.partition(b"\r\n\r\n")[2]) < len(b"ok"):
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
    except ConnectionResetError:
        pass
    return received


# Longer than gunicorn's default keep-alive (2 s), far shorter than nginx keeps a connection.
IDLE_SECONDS = 3


@pytest.mark.long
def test_the_web_server_keeps_an_idle_connection_open_longer_than_nginx_reuses_it():
    """nginx keeps its connections to the web server open between requests (the upstream's
    keepalive) and sends the next request on one of them. Had the web server closed it
    meanwhile (gunicorn's default: 2 s idle), a request crossing the close fails, and nginx
    answers 502 for a POST, which it does not retry: the web server must keep an idle connection
    open longer than nginx does. Checked in the files, and with gunicorn run with the unit's
    options: a connection idle for IDLE_SECONDS still answers."""
    command = web_unit_command()
    keep_alive = int(command[command.index("--keep-alive") + 1])
    assert keep_alive > nginx_upstream_keepalive_seconds()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = command[2:]  # after the program and the application
    options[options.index("--bind") + 1] = f"127.0.0.1:{port}"
    options[options.index("--workers") + 1] = "1"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.asgi_hello:application", *options],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=10)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)  # a real process starting to listen
        with connection:
            assert answer(connection).startswith(b"HTTP/1.1 200")
            time.sleep(IDLE_SECONDS)  # the connection idle, as between two of nginx's requests
            assert answer(connection).startswith(b"HTTP/1.1 200")
    finally:
        server.terminate()
        server.wait(timeout=30)
