from django.urls import path

from . import console_views, views

app_name = "invoices"
urlpatterns = [
    path("invoices/<int:pk>/", views.invoice, name="invoice"),
    path("credit-notes/<int:pk>/", views.credit_note, name="credit_note"),
    path("console/invoices/", console_views.console_invoices, name="console"),
]
