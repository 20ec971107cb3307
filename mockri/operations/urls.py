from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Exactly as in vercel.json: Vercel Cron does not follow redirects (APPEND_SLASH).
    path("internal/cron/tasks/", views.cron_tasks, name="cron_tasks"),
    path("console/", views.console_home, name="home"),
    path("console/search/", views.console_search_view, name="search"),
    path("console/bookings/", views.console_booking_list, name="bookings"),
    path("console/bookings/<str:reference>/", views.console_booking_view, name="booking"),
    path(
        "console/bookings/<str:reference>/reassign/",
        views.console_reassign_view,
        name="reassign",
    ),
    path("console/bookings/<str:reference>/cancel/", views.console_cancel_view, name="cancel"),
    path("console/bookings/<str:reference>/outcome/", views.console_outcome_view, name="outcome"),
    path(
        "console/bookings/<str:reference>/emails/<int:email_id>/resend/",
        views.console_resend_view,
        name="resend",
    ),
    path("console/emails/<int:email_id>/", views.console_email_view, name="email"),
    path("console/metrics/", views.metrics, name="metrics"),
]
