from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("bookings/<str:reference>/calendar.ics", views.calendar_file, name="calendar"),
    path("dev/outbox/", views.outbox, name="outbox"),
    path("dev/outbox/<int:email_id>/", views.outbox, name="outbox_email"),
]
