from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Exactly as in vercel.json: Vercel Cron does not follow redirects (APPEND_SLASH).
    path("internal/cron/tasks/", views.cron_tasks, name="cron_tasks"),
    path("console/metrics/", views.metrics, name="metrics"),
]
