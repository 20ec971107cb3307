from django.urls import path

from . import directory_views, upload_views, views

app_name = "bookings"
urlpatterns = [
    path("interviewers/", directory_views.interviewer_directory, name="directory"),
    path("interviews/<slug:slug>/book/", views.slot_picker, name="slots"),
    path("interviews/<slug:slug>/book/details/", views.booking_new, name="new"),
    path("bookings/", views.booking_list, name="list"),
    path("uploads/", upload_views.upload_start, name="upload_start"),
    path(
        "uploads/<uuid:upload_id>/parts/<int:number>/",
        upload_views.upload_part,
        name="upload_part",
    ),
    path(
        "uploads/<uuid:upload_id>/complete/",
        upload_views.upload_complete,
        name="upload_complete",
    ),
    path("bookings/<str:reference>/", views.booking_detail, name="detail"),
    path("bookings/<str:reference>/files/<str:kind>/", views.booking_file, name="file"),
    path("bookings/<str:reference>/meeting/", views.booking_meeting, name="meeting"),
    path("bookings/<str:reference>/cancel/", views.booking_cancel, name="cancel"),
    path("bookings/<str:reference>/reschedule/", views.booking_reschedule, name="reschedule"),
    path("bookings/<str:reference>/outcome/", views.booking_outcome, name="outcome"),
    path("bookings/<str:reference>/reassign/", views.booking_reassign, name="reassign"),
    path("bookings/<str:reference>/files/", views.booking_replace_file, name="replace_file"),
]
