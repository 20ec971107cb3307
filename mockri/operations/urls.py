from django.urls import include, path

from . import grievance_views, people_views, views

app_name = "operations"

# Everything under /console/ (staff with two-factor, required by the middleware for this
# prefix). Another app's console pages join with one line here, e.g.
# path("coupons/", include("mockri.coupons.console_urls")), and one in navigation.py.
console_urls = [
    path("", views.console_home, name="home"),
    path("search/", views.console_search_view, name="search"),
    path("bookings/", views.console_booking_list, name="bookings"),
    path("bookings/<str:reference>/", views.console_booking_view, name="booking"),
    path("bookings/<str:reference>/reassign/", views.console_reassign_view, name="reassign"),
    path("bookings/<str:reference>/move/", views.console_move_view, name="move"),
    path("bookings/<str:reference>/meeting/", views.console_meeting_view, name="meeting"),
    path(
        "bookings/<str:reference>/meeting/check/",
        views.console_meeting_check_view,
        name="meeting_check",
    ),
    path("bookings/<str:reference>/cancel/", views.console_cancel_view, name="cancel"),
    path("bookings/<str:reference>/outcome/", views.console_outcome_view, name="outcome"),
    path(
        "bookings/<str:reference>/refunds/<int:refund_id>/retry/",
        views.console_refund_retry_view,
        name="refund_retry",
    ),
    path(
        "bookings/<str:reference>/refunds/<int:refund_id>/check/",
        views.console_refund_check_view,
        name="refund_check",
    ),
    path(
        "bookings/<str:reference>/emails/<int:email_id>/resend/",
        views.console_resend_view,
        name="resend",
    ),
    path("emails/", people_views.email_log, name="emails"),
    path("emails/<int:email_id>/", views.console_email_view, name="email"),
    path("emails/<int:email_id>/resend/", people_views.email_resend, name="email_resend"),
    path("people/<int:pk>/", people_views.person, name="person"),
    path("people/<int:pk>/verification/", people_views.verification_resend, name="verify"),
    path("people/<int:pk>/sessions/end/", people_views.sessions_end, name="sessions_end"),
    path("people/<int:pk>/export/", people_views.export_start, name="export"),
    path("people/<int:pk>/erasure/", people_views.erasure_start, name="erasure"),
    path(
        "people/<int:pk>/refunds/<int:refund_id>/retry/",
        people_views.refund_retry,
        name="person_refund_retry",
    ),
    path(
        "people/<int:pk>/refunds/<int:refund_id>/check/",
        people_views.refund_check,
        name="person_refund_check",
    ),
    path("grievances/", grievance_views.grievance_list, name="grievances"),
    path("grievances/<str:reference>/", grievance_views.grievance_detail, name="grievance"),
    path(
        "grievances/<str:reference>/answer/",
        grievance_views.grievance_answer,
        name="grievance_answer",
    ),
    path(
        "grievances/<str:reference>/export/",
        grievance_views.grievance_export,
        name="grievance_export",
    ),
    path(
        "grievances/<str:reference>/erasure/",
        grievance_views.grievance_erasure,
        name="grievance_erasure",
    ),
    path("metrics/", views.metrics, name="metrics"),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Exactly as in vercel.json: Vercel Cron does not follow redirects (APPEND_SLASH).
    path("internal/cron/tasks/", views.cron_tasks, name="cron_tasks"),
    path("console/", include(console_urls)),
]
