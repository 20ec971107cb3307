import hmac
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import MetricsPeriodForm
from .selectors import PERIOD_DAYS, database_is_reachable, metrics_summary, task_queue_summary
from .task_queue import task_queue_drain, task_queue_maintain

logger = logging.getLogger(__name__)


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


@never_cache
def cron_tasks(request):
    """Vercel Cron, every minute: reap tasks killed mid-run, restart lost periodic chains, then
    run due tasks for the time budget. 404 unless the request carries the cron secret (and
    always when none is configured), so the endpoint is invisible to everyone else."""
    if not _cron_authorized(request) or request.method != "GET":
        raise Http404
    maintained = task_queue_maintain(now=timezone.now())
    drained = task_queue_drain(budget_seconds=settings.TASK_DRAIN_BUDGET_SECONDS)
    logger.info(
        "Cron drain: ran %d (%d failed), %d remaining, stopped on %s",
        len(drained["ran"]),
        drained["failed"],
        drained["remaining"],
        drained["stopped"],
    )
    return JsonResponse({**maintained, **drained})


def _cron_authorized(request) -> bool:
    secret = settings.CRON_SECRET
    given = request.headers.get("Authorization", "")
    return bool(secret) and hmac.compare_digest(given.encode(), f"Bearer {secret}".encode())


@never_cache
@login_required
@require_GET
def metrics(request):
    """Staff only (two-factor is required by the middleware for /console/): bookings per day,
    revenue, cancellation and no-show rates and interviewer load over the last 7, 30 or 90 days."""
    if not request.user.is_staff:
        raise Http404
    form = MetricsPeriodForm(request.GET)
    days = form.period_days()
    context = {
        "metrics": metrics_summary(days=days),
        "period_choices": PERIOD_DAYS,
        "bad_days": request.GET.get("days") if not form.is_valid() else None,
    }
    return render(request, "operations/metrics.html", context)
