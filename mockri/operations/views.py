from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import database_is_reachable, task_queue_summary


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    database_ok = database_is_reachable()
    body = {"status": "ok" if database_ok else "error", "database": {"reachable": database_ok}}
    if database_ok:
        try:
            body["tasks"] = task_queue_summary()
        except DatabaseError:
            body["tasks"] = None  # the queue table is missing: migrations have not run
            body["status"] = "error"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
