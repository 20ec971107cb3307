from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("webhooks/razorpay/", views.razorpay_webhook, name="razorpay_webhook"),
    path("bookings/<str:reference>/pay/", views.pay, name="pay"),
    path("payments/checkout/complete/", views.checkout_complete, name="checkout_complete"),
    path("payments/test-checkout/<str:order_ref>/", views.test_checkout, name="test_checkout"),
    path("receipts/<int:number>/", views.receipt, name="receipt"),
    path("bookings/<str:reference>/refund/", views.staff_refund, name="staff_refund"),
]
