"""`manage.py qcluster`: django-q2's worker cluster, beating this node's heartbeat while it runs.

django-q2's own command starts the cluster's sentinel process and returns, leaving the process
to wait for it at exit. This one waits for it explicitly and, while it waits, records the node's
heartbeat every WORKER_HEARTBEAT_INTERVAL seconds. So every node reports itself, whichever node
the scheduled tasks happen to run on, and a node whose cluster stopped stops beating.
"""

import logging
import os

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections
from django_q.cluster import Cluster
from django_q.management.commands import qcluster

from helpdesk.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class Command(qcluster.Command):
    help = "Starts the background worker cluster, reporting this node's heartbeat while it runs."

    def handle(self, *args, **options):
        settings.SECRET_KEY  # noqa: B018 (the cluster signs its tasks: refuse to start without it)
        if "pool" in settings.DATABASES["default"].get("OPTIONS", {}):
            # The cluster forks its processes: they would share the pool's open connections, and
            # their statements would cross on the wire (PostgreSQL refuses them as protocol errors).
            raise CommandError(
                "The worker cannot take its connections from a pool (DATABASE_POOL=1): its processes "
                "are forked and would share the pool's connections. Start it without DATABASE_POOL; "
                "the web server (config.asgi) turns the pool on for itself."
            )
        if options.get("cluster_name"):
            os.environ["Q_CLUSTER_NAME"] = options["cluster_name"]
        cluster = Cluster()
        cluster.start()
        if options.get("run_once"):
            cluster.stop()
            return
        while cluster.sentinel.is_alive():
            beat()
            cluster.sentinel.join(timeout=settings.WORKER_HEARTBEAT_INTERVAL)


def beat():
    # A database that does not answer for a moment costs a beat, not the worker.
    try:
        close_old_connections()
        WorkerHeartbeat.beat()
    except DatabaseError:
        logger.warning("The worker's heartbeat could not be recorded", exc_info=True)
