"""The deployment files in deploy/ are what nginx and systemd accept: nginx -t on the site (with
a throwaway certificate in place of the real one) and systemd-analyze verify on the units (with
the paths of this checkout in place of /srv/helpdesk). Each check is skipped, saying why, on a
machine without the tool; CI installs nginx (.ci/run)."""

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
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
