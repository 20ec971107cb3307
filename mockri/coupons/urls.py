from django.urls import path

from . import console_views

app_name = "coupons"
urlpatterns = [
    path("console/coupons/", console_views.console_coupons, name="console"),
    path(
        "console/coupons/<int:pk>/toggle/",
        console_views.console_coupon_toggle,
        name="console_toggle",
    ),
]
