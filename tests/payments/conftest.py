import hashlib
import hmac
import json
import uuid
from pathlib import Path

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.bookings.services import booking_create
from mockri.payments.models import Payment
from tests.factories import InterviewTypeFactory
from tests.fixtures import SLOT, resume_file

WEBHOOK_SECRET = "test-webhook-secret-0123456789"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ORDER = "order_DESxiijbl9xjDB"  # the order in the payment fixtures (100 paise, INR)
PAYMENT = "pay_DESyzxuld02Zul"


def fixture_body(name: str) -> bytes:
    return (FIXTURES / f"razorpay-{name}.json").read_bytes()


def sign(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def razorpay(settings):
    settings.RAZORPAY_KEY_ID = "rzp_test_0wFRWIZnH65uny"
    settings.RAZORPAY_KEY_SECRET = "test-key-secret"
    settings.RAZORPAY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PAYMENT_GATEWAY = "razorpay"


@pytest.fixture
def held_booking(now, candidate, profile, book, task_queue):
    """A booking of a 1-rupee session, held for payment, with the fixtures' order."""
    one_rupee = InterviewTypeFactory(name="Test round", price_paise=100, interviewers=[profile])
    booking = book(candidate=candidate, interview_type=one_rupee, interviewer=profile)
    assert booking.status == BookingStatus.PENDING_PAYMENT
    Payment.objects.create(
        booking=booking, gateway="razorpay", order_ref=ORDER, amount_paise=100, currency="INR"
    )
    task_queue.backend.clear()  # the hold's expiry task: not what these tests look at
    return booking


def booked_with_a_payment(*, candidate, interview_type, interviewer, **payment) -> Payment:
    """A real booking of `interview_type` at SLOT and its payment ("order_race", the price,
    INR, unless `payment` says otherwise), for the tests that race two reports of it."""
    booking = booking_create(
        candidate=candidate,
        interview_type=interview_type,
        interviewer=interviewer,
        starts_at=SLOT,
        files=[resume_file()],
        idempotency_key=uuid.uuid4(),
    )
    fields = {
        "gateway": "test",
        "order_ref": "order_race",
        "amount_paise": booking.price_paise,
        "currency": "INR",
        **payment,
    }
    return Payment.objects.create(booking=booking, **fields)


def event_body(name: str, **payment_changes) -> bytes:
    """A fixture event with changed payment fields (re-serialised: sign what you send)."""
    payload = json.loads(fixture_body(name))
    payload["payload"]["payment"]["entity"].update(payment_changes)
    return json.dumps(payload).encode()
