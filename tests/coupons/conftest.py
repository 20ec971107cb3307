import datetime

import pytest

from mockri.coupons.enums import CouponKind
from mockri.coupons.models import Coupon


@pytest.fixture
def make_coupon(db, now):
    """A coupon valid from a day before the frozen clock, 20% off by default."""

    def make(code="WELCOME20", *, types=(), **fields):
        fields.setdefault("kind", CouponKind.PERCENT)
        if fields["kind"] == CouponKind.PERCENT:
            fields.setdefault("percent_off", 20)
        fields.setdefault("starts_at", now - datetime.timedelta(days=1))
        coupon = Coupon.objects.create(code=code, **fields)
        coupon.interview_types.set(types)
        return coupon

    return make
