from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("bookings/<str:reference>/feedback/", views.feedback_write, name="write"),
    path("bookings/<str:reference>/rating/", views.rating_submit, name="rate"),
    path("bookings/<str:reference>/focus-skills/", views.focus_skills_choose, name="focus"),
    path(
        "bookings/<str:reference>/reviews/<int:review_id>/reply/",
        views.review_reply,
        name="reply",
    ),
]
