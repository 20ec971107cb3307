from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("terms/", views.terms, name="terms"),
    path("refunds/", views.refunds, name="refunds"),
    path("contact/", views.contact, name="contact"),
]
