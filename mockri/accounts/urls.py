from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("account/", views.profile, name="profile"),
    path("account/consent/", views.consent, name="consent"),
    path("account/avatar/", views.avatar, name="avatar"),
    path("account/email/check/", views.address_check_send, name="address_check_send"),
    path("account/email/check/<str:token>/", views.address_check, name="address_check"),
]
