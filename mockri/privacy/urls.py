from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.privacy_policy, name="policy"),
    path("contact/grievance/", views.grievance, name="grievance"),
    path("account/data/", views.my_data, name="my_data"),
]
