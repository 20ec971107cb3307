from django.urls import path

from . import views

app_name = "preparation"
urlpatterns = [
    path("account/preparation/", views.plan, name="plan"),
]
