import datetime

import pytest

from mockri.coupons.enums import CouponKind
from mockri.coupons.models import Coupon
from mockri.packs.services import pack_purchase_start
from mockri.payments.gateways import fake
from mockri.payments.services import payment_order_for_pack, payment_record
from tests.factories import PackFactory


@pytest.fixture
def pack(paid_type):
    """3 System Design sessions for ₹3,000, valid 60 days."""
    return PackFactory(
        name="Design loop", slug="design-loop", interview_types=[paid_type], sessions=3
    )


@pytest.fixture
def buy(task_queue):
    """Buy a pack through the test gateway's real path (order, checkout, recorded capture, the
    grant task); returns the purchase."""

    def bought(*, candidate, pack, method="upi", coupon_code=""):
        purchase = pack_purchase_start(candidate=candidate, pack=pack, coupon_code=coupon_code)
        gateway = fake.TestGateway()
        payment = payment_order_for_pack(purchase=purchase, gateway=gateway)
        paid, _, _ = gateway.checkout(payment.order_ref, succeed=True, method=method)
        payment_record(info=paid)
        task_queue.run_all_except("outbox_send_task")
        purchase.refresh_from_db()
        return purchase

    return bought


@pytest.fixture
def pack_coupon(db, now):
    """PACK20: 20% off packs, valid from a day before the frozen clock."""
    return Coupon.objects.create(
        code="PACK20",
        kind=CouponKind.PERCENT,
        percent_off=20,
        applies_to_packs=True,
        starts_at=now - datetime.timedelta(days=1),
    )
