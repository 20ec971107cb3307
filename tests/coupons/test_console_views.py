"""The console's coupons page: usage, a new coupon, stopping one."""

import pytest
from django.urls import reverse

from mockri.coupons.enums import CouponKind
from mockri.coupons.models import Coupon
from mockri.coupons.services import coupon_apply, coupon_redeem_for_order
from mockri.operations.selectors import ATTENTION_KINDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_staff(client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_lists_coupons_with_their_usage_in_fixed_queries(
    as_staff, make_coupon, candidate, paid_type, profile, book, count, django_assert_max_num_queries
):
    for number in range(count):
        make_coupon(f"CODE{number}", max_uses=10, types=[paid_type])
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    coupon_apply(booking=booking, code="CODE0")
    coupon_redeem_for_order(booking=booking)

    # With the console header's "needs attention" count (one query per kind).
    with django_assert_max_num_queries(12 + len(ATTENTION_KINDS)):
        page = as_staff.get(reverse("coupons:console")).content.decode()

    assert "CODE0" in page
    assert "1 of 10 (1 redeemed; 1 per candidate)" in page
    assert "₹399.80" in page


def test_staff_create_a_flat_coupon_in_rupees(as_staff, now, paid_type):
    response = as_staff.post(
        reverse("coupons:console"),
        {
            "code": " diwali-500 ",
            "kind": CouponKind.FLAT,
            "amount_off_rupees": "500",
            "minimum_price_rupees": "999",
            "interview_types": [paid_type.pk],
            "applies_to_sessions": "on",
            "starts_at": "2026-12-01T00:00",
            "max_uses_per_candidate": "1",
        },
    )

    coupon = Coupon.objects.get()
    assert response.status_code == 302
    assert (
        coupon.code,
        coupon.amount_off_paise,
        coupon.minimum_price_paise,
        coupon.percent_off,
    ) == (
        "DIWALI-500",
        50_000,
        99_900,
        None,
    )
    assert list(coupon.interview_types.all()) == [paid_type]


def test_a_percent_coupon_needs_a_percentage(as_staff):
    response = as_staff.post(
        reverse("coupons:console"),
        {
            "code": "HALF",
            "kind": CouponKind.PERCENT,
            "applies_to_sessions": "on",
            "starts_at": "2026-12-01T00:00",
            "max_uses_per_candidate": "1",
        },
    )

    assert response.status_code == 422
    assert "Give a percentage from 1 to 100." in response.content.decode()
    assert not Coupon.objects.exists()


def test_staff_stop_a_coupon(as_staff, make_coupon):
    coupon = make_coupon("STOPME")

    as_staff.post(reverse("coupons:console_toggle", kwargs={"pk": coupon.pk}))

    coupon.refresh_from_db()
    assert coupon.is_active is False


@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_people_who_are_not_staff_get_404(client, request, two_factor, make_coupon, who):
    coupon = make_coupon("SECRET")
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    page = client.get(reverse("coupons:console"))
    toggle = client.post(reverse("coupons:console_toggle", kwargs={"pk": coupon.pk}))

    assert (page.status_code, toggle.status_code) == (404, 404)
    coupon.refresh_from_db()
    assert coupon.is_active is True
