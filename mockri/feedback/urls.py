from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("bookings/<str:reference>/feedback/", views.feedback_write, name="write"),
    path("bookings/<str:reference>/rating/", views.rating_submit, name="rate"),
]
