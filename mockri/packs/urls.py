from django.urls import path

from . import console_views, views

app_name = "packs"
urlpatterns = [
    path("packs/", views.pack_list, name="list"),
    path("packs/<slug:slug>/buy/", views.pack_buy, name="buy"),
    path("packs/purchases/<str:reference>/", views.purchase_detail, name="purchase"),
    path("packs/purchases/<str:reference>/pay/", views.pack_pay, name="pay"),
    path("packs/purchases/<str:reference>/refund/", views.purchase_refund, name="refund"),
    path("bookings/<str:reference>/use-credit/", views.booking_use_credit, name="use_credit"),
    path("console/packs/", console_views.console_packs, name="console"),
    path("console/packs/<int:pk>/", console_views.console_pack_edit, name="console_edit"),
    path("console/packs/<int:pk>/sale/", console_views.console_pack_sale, name="console_sale"),
]
