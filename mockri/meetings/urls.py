from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("webhooks/calcom/", views.calcom_webhook, name="calcom_webhook"),
]
