from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from helpdesk.models import WorkerHeartbeat


@never_cache
@require_GET
def healthz(request):
    """Database and worker status for load balancers and monitoring.

    200 while the database answers (the site can serve pages); 503 when it does not. The
    worker's state is reported either way: a stopped worker delays mail but not the pages.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        heartbeat = WorkerHeartbeat.latest()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "error", "database": {"ok": False, "error": str(error)}, "worker": {"ok": False}},
            status=503,
        )
    worker = {"ok": False, "last_heartbeat": None, "age_seconds": None}
    if heartbeat:
        worker = {
            "ok": heartbeat.is_fresh,
            "last_heartbeat": heartbeat.beat_at.isoformat(),
            "age_seconds": round(heartbeat.age.total_seconds()),
        }
    return JsonResponse(
        {"status": "ok" if worker["ok"] else "degraded", "database": {"ok": True}, "worker": worker}
    )
