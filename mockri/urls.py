from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mockri.accounts import views as account_views

# The admin signs in through allauth, so staff get rate limits and two-factor authentication.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    # Resend's tracking webhook (bounces, complaints), mounted only when its signature can be
    # checked: Anymail would otherwise accept unsigned events.
    *([path("anymail/", include("anymail.urls"))] if settings.RESEND_WEBHOOK_SECRET else []),
    path("", include("mockri.pages.urls")),
    path("", include("mockri.catalogue.urls")),
    path("", include("mockri.bookings.urls")),
    path("", include("mockri.scheduling.urls")),
    path("", include("mockri.payments.urls")),
    path("", include("mockri.coupons.urls")),
    path("", include("mockri.invoices.urls")),
    path("", include("mockri.packs.urls")),
    path("", include("mockri.notifications.urls")),
    path("", include("mockri.feedback.urls")),
    path("", include("mockri.meetings.urls")),
    path("", include("mockri.privacy.urls")),
    path("", include("mockri.interviewers.urls")),
    path("", include("mockri.preparation.urls")),
    path("", include("mockri.earnings.urls")),
    path("", include("mockri.operations.urls")),
    path("", include("mockri.operations.review_urls")),
    path("", include("mockri.accounts.urls")),
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    # allauth's own Google routes (below), answering 404 while Google sign-in is not set up.
    path("accounts/google/login/", account_views.google_login),
    path("accounts/google/login/callback/", account_views.google_callback),
    path("accounts/google/login/token/", account_views.google_login_by_token),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
