"""The coupon box on the details step (bookings.views.booking_new), and the pay step's lines."""

import pytest
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.invoices.models import BuyerDetails
from tests.bookings.test_views import booking_post, details_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, candidate, private_storage):
    client.force_login(candidate)
    return client


@pytest.mark.parametrize(
    ("code", "fields", "message"),
    [
        ("NOSUCH", {}, "There is no coupon with that code. Please check it and try again."),
        ("OLD", {"ends_at_days": 0}, "The coupon OLD has expired."),
        ("GONE", {"is_active": False}, "The coupon GONE is not valid right now."),
    ],
)
def test_a_bad_code_is_a_form_error_and_books_nothing(
    signed_in, now, paid_type, profile, make_coupon, code, fields, message
):
    if code != "NOSUCH":
        if "ends_at_days" in fields:
            fields = {"ends_at": now}
        make_coupon(code, **fields)

    response = signed_in.post(details_url(paid_type), booking_post(coupon_code=code.lower()))

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_a_good_code_is_shown_on_the_pay_step_with_the_reduced_price(
    signed_in, paid_type, profile, make_coupon
):
    make_coupon("WELCOME20")

    response = signed_in.post(details_url(paid_type), booking_post(coupon_code="welcome20"))
    pay = signed_in.get(response.url)

    page = pay.content.decode()
    assert response.url.endswith("/pay/")
    assert "Coupon WELCOME20" in page
    assert "−₹399.80" in page
    assert "₹1,599.20 for System Design" in page


def test_a_100_percent_code_books_the_session_without_payment(
    signed_in, paid_type, profile, make_coupon
):
    make_coupon("ONUS", percent_off=100)

    response = signed_in.post(details_url(paid_type), booking_post(coupon_code="ONUS"))
    done = signed_in.get(response.url)

    booking = Booking.objects.get()
    assert done.url == booking.get_absolute_url()
    assert booking.status == BookingStatus.CONFIRMED


def test_with_invoicing_on_the_details_step_asks_the_state_and_checks_a_gstin(
    signed_in, settings, paid_type, profile
):
    settings.GSTIN = "32ABCDE1234F1Z9"

    bad = signed_in.post(
        details_url(paid_type), booking_post(place_of_supply="29", buyer_gstin="29AAGCB7383J1Z5")
    )
    elsewhere = signed_in.post(
        details_url(paid_type), booking_post(place_of_supply="32", buyer_gstin="29AAGCB7383J1Z4")
    )
    good = signed_in.post(
        details_url(paid_type), booking_post(place_of_supply="29", buyer_gstin="29aagcb7383j1z4")
    )

    assert bad.status_code == elsewhere.status_code == 422
    assert "last character does not match" in bad.content.decode()
    assert "registered in another state" in elsewhere.content.decode()
    assert good.status_code == 302
    assert BuyerDetails.objects.values_list("place_of_supply", "gstin").get() == (
        "29",
        "29AAGCB7383J1Z4",
    )


def test_the_pay_step_without_a_coupon_shows_the_list_price(signed_in, paid_type, profile):
    response = signed_in.post(details_url(paid_type), booking_post())

    pay = signed_in.get(response.url)

    assert "₹1,999 for System Design" in pay.content.decode()
    assert reverse("payments:pay", kwargs={"reference": Booking.objects.get().reference}) == (
        response.url
    )
