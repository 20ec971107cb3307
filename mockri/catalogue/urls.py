from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("interviews/", views.type_list, name="types"),
    path("interviews/<slug:slug>/", views.type_detail, name="type"),
    path("interviewers/<slug:slug>/", views.interviewer_detail, name="interviewer"),
    path("interviewers/<slug:slug>/photo/", views.interviewer_photo, name="photo"),
]
