from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.privacy_policy, name="policy"),
    path("contact/grievance/", views.grievance, name="grievance"),
    path(
        "contact/grievance/confirm/<str:token>/",
        views.grievance_confirmation,
        name="grievance_confirm",
    ),
    path("account/data/", views.my_data, name="my_data"),
    path("account/data/export/", views.export_request, name="export_request"),
    path("account/data/export/<str:token>/", views.export_download, name="export_download"),
    path("account/data/nominees/", views.nominee_new, name="nominee_new"),
    path("account/data/nominees/<int:pk>/remove/", views.nominee_delete, name="nominee_delete"),
    path("account/data/delete/", views.account_delete, name="account_delete"),
    path("account/data/withdraw-consent/", views.consent_withdrawal, name="consent_withdrawal"),
    # Under /privacy/ so it opens even before a new policy version is accepted.
    path("privacy/notices/<int:pk>/", views.breach_notice, name="breach_notice"),
]
