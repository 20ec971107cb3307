from django.urls import path

from . import views

app_name = "interviewers"
urlpatterns = [
    path("become-an-interviewer/", views.apply, name="apply"),
    path("become-an-interviewer/invitation/<str:token>/", views.invitation, name="invitation"),
    # Under /interviewer/, where the middleware requires two-factor authentication.
    path("interviewer/onboarding/", views.onboarding, name="onboarding"),
    # Under /staff/, where the middleware requires staff to have two-factor authentication.
    path("staff/applications/", views.queue, name="queue"),
    path("staff/applications/<int:pk>/", views.application, name="application"),
    path("staff/applications/<int:pk>/notes/", views.application_notes, name="application_notes"),
    path(
        "staff/applications/<int:pk>/decide/", views.application_decide, name="application_decide"
    ),
]
