"""`make loadtest`: the production set-up on the loopback under chat pages with their agents,
lobby screens and status pages, in polling mode then in push mode (devtools/loadtest)."""

import logging
import resource
import subprocess
import sys
import time
from dataclasses import replace

import redis
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from devtools import databases
from devtools.bench.helpdesk import machine_reference_ms
from devtools.loadtest import report, run, seed, servers

DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
# --modes: whether each measured mode pushes.
MODES = {"both": (False, True), "polling": (False,), "push": (True,)}


class Command(BaseCommand):
    help = (
        "Load test on 127.0.0.1: gunicorn with uvicorn workers, the worker, PostgreSQL (a database "
        "whose name contains 'loadtest'; it is emptied) and Redis; polling mode, then push mode."
    )

    def add_arguments(self, parser):
        plan = run.Plan()
        parser.add_argument(
            "--quick", action="store_true", help="A small run: 20 chats, under a minute a mode."
        )
        parser.add_argument(
            "--chats", type=int, help=f"Open chats, each with its agent's page ({plan.chats})."
        )
        parser.add_argument(
            "--chats-per-agent", type=int, help=f"Chats one agent holds ({plan.chats_per_agent})."
        )
        parser.add_argument("--lobby-screens", type=int, help=f"Lobby screens ({plan.lobby_screens}).")
        parser.add_argument("--status-pages", type=int, help=f"Status pages ({plan.status_pages}).")
        parser.add_argument(
            "--talk-seconds", type=float, help=f"Seconds of chatting ({plan.talk_seconds:.0f})."
        )
        parser.add_argument(
            "--idle-seconds", type=float, help=f"Seconds nobody types ({plan.idle_seconds:.0f})."
        )
        parser.add_argument(
            "--line-every",
            type=float,
            help=f"Seconds between one side's lines, on average ({plan.line_every:.0f}).",
        )
        parser.add_argument("--web-workers", type=int, help=f"gunicorn workers ({plan.web_workers}).")
        parser.add_argument(
            "--server-log",
            default="",
            help="Keep each mode's web server log (its tracebacks) in files named from this one: "
            "PATH.polling.log and PATH.push.log.",
        )
        parser.add_argument(
            "--modes",
            choices=list(MODES),
            default="both",
            help="Measure polling mode, then push mode (both), or one of them alone.",
        )
        parser.add_argument(
            "--redis",
            default=DEFAULT_REDIS,
            help=f"A Redis database of the load test's own: it is emptied ({DEFAULT_REDIS}).",
        )

    def handle(self, *args, quick, redis: str, server_log: str, modes: str, **options):
        plan = run.QUICK if quick else run.Plan()
        chosen = {name: value for name, value in options.items() if name in run.Plan.__dataclass_fields__}
        plan = replace(plan, **{name: value for name, value in chosen.items() if value is not None})
        settings_dict = connection.settings_dict
        if connection.vendor != "postgresql" or "loadtest" not in settings_dict["NAME"]:
            raise CommandError(
                "The load test needs a PostgreSQL database of its own, named like helpdesk_loadtest."
            )
        _raise_open_files_limit()
        # Measured first, on a machine nothing of the run loads yet: the same run differs between
        # machines of the same kind by half (docs/performance.md).
        reference = machine_reference_ms()
        logging.getLogger("django-q").setLevel(logging.WARNING)
        self.create_database_if_missing(settings_dict)
        call_command("migrate", verbosity=0, interactive=False)
        started = time.monotonic()
        seed.reset()
        with override_settings(LIVE_PUSH=False):  # nobody is listening yet
            world = seed.seed(
                chats=plan.chats,
                chats_per_agent=plan.chats_per_agent,
                lobby_screens=plan.lobby_screens,
                status_pages=plan.status_pages,
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Seeded {plan.chats} chats and their agents in {time.monotonic() - started:.0f} s."
        )
        _empty_redis(redis)
        database_url = _database_url(settings_dict)
        production = servers.environment(database_url=database_url, redis_url=redis, push=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=servers.PROJECT,
            env=production,
            check=True,
        )
        connection.close()  # the servers' turn
        worker = servers.worker(production)
        outcomes = {}
        try:
            with run.Meters(database_settings=settings_dict, worker_pid=worker.pid) as meters:
                for push in MODES[modes]:
                    name = "push" if push else "polling"
                    self.stdout.write(f"Measuring {name} mode (load average {_load()})…")
                    env = servers.environment(database_url=database_url, redis_url=redis, push=push)
                    log_to = f"{server_log}.{name}.log" if server_log else ""
                    outcomes[name] = run.measure_mode(
                        world, plan, push=push, env=env, meters=meters, log_to=log_to
                    )
        finally:
            worker.stop()
            worker.close()
        self.stdout.write("")
        self.stdout.write(report.table(plan, outcomes.get("polling"), outcomes.get("push")))
        self.stdout.write(
            f"machine reference (make bench's fixed piece of Python, before the run): {reference:.1f} ms"
        )

    def create_database_if_missing(self, settings_dict):
        if databases.create_if_missing(settings_dict):
            self.stdout.write(f"Created the database {settings_dict['NAME']}.")


def _raise_open_files_limit() -> None:
    """Every open page holds a connection, on the client's side and the server's (inherited)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else hard
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _empty_redis(url: str) -> None:
    if "/" not in url.removeprefix("redis://") or url.endswith("/0"):
        raise CommandError(
            "Give the load test a Redis database of its own (not 0): --redis redis://127.0.0.1:6379/14"
        )
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def _database_url(s: dict) -> str:
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _load() -> str:
    import os

    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())
