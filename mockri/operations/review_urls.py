from django.urls import path

from . import review_views

app_name = "console_reviews"
urlpatterns = [
    path("console/reviews/", review_views.console_reviews, name="list"),
    path(
        "console/reviews/<int:review_id>/moderate/",
        review_views.console_review_moderate,
        name="moderate",
    ),
]
