import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from helpdesk.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Database and workers' status for load balancers and monitoring.

    200 while the database answers (the site can serve pages); 503 when it does not, saying only
    that: the error's own words (host, database, user) go to the log, never to the anonymous
    caller. Each worker node is listed as alive or stale either way: a stopped worker delays
    mail but not the pages. `worker` is the newest heartbeat, for monitors that read one.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        heartbeats = list(WorkerHeartbeat.objects.order_by("node"))
    except DatabaseError:
        logger.exception("/healthz: the database does not answer")
        return JsonResponse(
            {
                "status": "error",
                "database": {"ok": False, "error": "The database does not answer."},
                "worker": {"ok": False},
                "workers": {"alive": [], "stale": []},
            },
            status=503,
        )
    alive = [heartbeat for heartbeat in heartbeats if heartbeat.is_fresh]
    stale = [heartbeat for heartbeat in heartbeats if not heartbeat.is_fresh]
    newest = max(heartbeats, key=lambda heartbeat: heartbeat.beat_at, default=None)
    worker = {"ok": False, "last_heartbeat": None, "age_seconds": None}
    if newest:
        worker = {"ok": newest.is_fresh, **described(newest, node=False)}
    return JsonResponse(
        {
            "status": "ok" if alive and not stale else "degraded",
            "database": {"ok": True},
            "worker": worker,
            "workers": {"alive": [described(h) for h in alive], "stale": [described(h) for h in stale]},
        }
    )


def described(heartbeat: WorkerHeartbeat, *, node: bool = True) -> dict:
    node_name = {"node": heartbeat.node} if node else {}
    return {
        **node_name,
        "last_heartbeat": heartbeat.beat_at.isoformat(),
        "age_seconds": round(heartbeat.age.total_seconds()),
    }
