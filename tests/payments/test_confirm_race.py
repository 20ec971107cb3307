"""The checkout's return and the provider's webhook report one captured payment at the same
moment, on PostgreSQL with real connections: the booking is confirmed once and nothing is
refunded. (The second report waits on the payment's lock; what it then reads of the booking must
be what the first committed, not what its statement saw when it started waiting.)"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from mockri.bookings.enums import BookingStatus
from mockri.payments.enums import PaymentStatus
from mockri.payments.gateways import base
from mockri.payments.models import Payment, Refund
from mockri.payments.services import payment_record
from tests.payments.conftest import booked_with_a_payment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write transaction"
    ),
]


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_the_checkout_and_the_webhook_at_once_confirm_once_and_refund_nothing(
    now, candidate, paid_type, profile, private_storage, task_queue
):
    payment = booked_with_a_payment(
        candidate=candidate, interview_type=paid_type, interviewer=profile
    )
    booking = payment.booking
    captured = base.Payment(
        provider_ref="pay_race",
        order_ref="order_race",
        amount_paise=booking.price_paise,
        currency="INR",
        status="captured",
        method="upi",
    )
    first_holds_the_lock = threading.Event()
    errors = []

    def in_a_thread(report):
        """`report` on its own connection, any error kept for the assertions below."""

        def run():
            try:
                report()
            except Exception as error:
                errors.append(error)
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    def first():  # the checkout's return: takes the payment's lock first
        with transaction.atomic():
            Payment.objects.select_for_update().get(pk=payment.pk)
            first_holds_the_lock.set()
            deadline = time.monotonic() + 10
            while not waiting_on_a_lock() and time.monotonic() < deadline:
                time.sleep(0.05)
            payment_record(info=captured)

    def second():  # the webhook: its statement starts while the first holds the lock
        first_holds_the_lock.wait(10)
        payment_record(info=captured)

    threads = [in_a_thread(first), in_a_thread(second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CAPTURED
    assert not Refund.objects.exists()
