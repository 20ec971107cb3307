from django.urls import path
from django.views.generic import RedirectView

from . import console_views, self_views, views

app_name = "interviewers"
urlpatterns = [
    path("become-an-interviewer/", views.apply, name="apply"),
    path("become-an-interviewer/invitation/<str:token>/", views.invitation, name="invitation"),
    # Under /interviewer/, where the middleware requires two-factor authentication.
    path("interviewer/", self_views.dashboard, name="dashboard"),
    path("interviewer/onboarding/", self_views.onboarding, name="onboarding"),
    path("interviewer/onboarding/go-live/", self_views.go_live, name="go_live"),
    path("interviewer/profile/", self_views.profile_edit, name="profile_edit"),
    path("interviewer/profile/photo/", self_views.own_photo, name="photo"),
    path("interviewer/calendar/", self_views.calendar, name="calendar"),
    # Under /console/, where the middleware requires staff to have two-factor authentication.
    path("console/applications/", console_views.queue, name="queue"),
    path("console/applications/<int:pk>/", console_views.application, name="application"),
    path(
        "console/applications/<int:pk>/notes/",
        console_views.application_notes,
        name="application_notes",
    ),
    path(
        "console/applications/<int:pk>/decide/",
        console_views.application_decide,
        name="application_decide",
    ),
    path(
        "console/applications/<int:pk>/invitation/",
        console_views.invitation_send_again,
        name="invitation_resend",
    ),
    path("console/interviewers/", console_views.interviewer_list, name="console_list"),
    path(
        "console/interviewers/<int:pk>/hold/", console_views.interviewer_hold, name="console_hold"
    ),
    path("console/spot-checks/", console_views.spot_checks, name="spot_checks"),
    path(
        "console/spot-checks/<int:pk>/clear/",
        console_views.spot_check_clear,
        name="spot_check_clear",
    ),
    # Where the queue lived before the console; bookmarks and old emails still work.
    path(
        "staff/applications/",
        RedirectView.as_view(pattern_name="interviewers:queue", query_string=True),
    ),
    path(
        "staff/applications/<int:pk>/",
        RedirectView.as_view(pattern_name="interviewers:application"),
    ),
]
