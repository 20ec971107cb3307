from django.urls import path

from . import views

app_name = "scheduling"
urlpatterns = [
    path("interviewer/availability/", views.availability, name="availability"),
]
