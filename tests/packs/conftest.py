import pytest

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

    def bought(*, candidate, pack, method="upi"):
        purchase = pack_purchase_start(candidate=candidate, pack=pack)
        gateway = fake.TestGateway()
        payment = payment_order_for_pack(purchase=purchase, gateway=gateway)
        paid, _, _ = gateway.checkout(payment.order_ref, succeed=True, method=method)
        payment_record(info=paid)
        task_queue.run_all_except("outbox_send_task")
        purchase.refresh_from_db()
        return purchase

    return bought
