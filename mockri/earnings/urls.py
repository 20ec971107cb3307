from django.urls import path, register_converter

from . import console_views, views


class _Year:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class _Month:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(_Year, "yyyy")
register_converter(_Month, "mm")

app_name = "earnings"
urlpatterns = [
    # Under /interviewer/, where the middleware requires two-factor authentication.
    path("interviewer/earnings/", views.earnings_home, name="home"),
    path("interviewer/earnings/<yyyy:year>-<mm:month>/", views.statement, name="statement"),
    path(
        "interviewer/earnings/<yyyy:year>-<mm:month>.csv",
        views.statement_download,
        name="statement_csv",
    ),
    path("interviewer/payouts/details/", views.payout_details, name="payout_details"),
    path(
        "bookings/<str:reference>/interviewer-no-show/",
        views.report_no_show,
        name="report_no_show",
    ),
    # Under /console/, where the middleware requires staff to have two-factor authentication.
    path(
        "console/interviewers/reliability/",
        console_views.reliability,
        name="console_reliability",
    ),
    path("console/no-show-reports/", console_views.reports, name="console_reports"),
    path(
        "console/no-show-reports/<int:pk>/<str:decision>/",
        console_views.report_decide,
        name="console_report_decide",
    ),
    path("console/earnings/rates/", console_views.rates, name="console_rates"),
    path(
        "console/earnings/rates/<int:pk>/delete/",
        console_views.rate_delete,
        name="console_rate_delete",
    ),
    path("console/earnings/statements/", console_views.statements, name="console_statements"),
    path(
        "console/earnings/statements/<int:profile_id>/<yyyy:year>-<mm:month>/",
        console_views.statement,
        name="console_statement",
    ),
    path(
        "console/earnings/statements/<int:profile_id>/<yyyy:year>-<mm:month>.csv",
        console_views.statement_download,
        name="console_statement_csv",
    ),
    path("console/payouts/", console_views.batches, name="console_batches"),
    path("console/payouts/<int:pk>/", console_views.batch, name="console_batch"),
    path(
        "console/payouts/<int:pk>/transfer.csv",
        console_views.batch_transfer_csv,
        name="console_batch_csv",
    ),
    path(
        "console/payouts/<int:pk>/lines/<int:line_id>/paid/",
        console_views.line_mark_paid,
        name="console_line_paid",
    ),
    path("console/payouts/<int:pk>/discard/", console_views.batch_discard, name="console_discard"),
]
