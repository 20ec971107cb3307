import datetime

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment
from tests.fixtures import NOW, past_session

DAY = datetime.timedelta(days=1)


@pytest.fixture
def session(now, candidate, profile, paid_type):
    """Make a session that took place (completed unless told), paid in full."""

    def make(*, starts_at=NOW - 2 * DAY, status=BookingStatus.COMPLETED, interviewer=None, **kw):
        booking = past_session(
            candidate=candidate,
            interviewer=interviewer or profile,
            interview_type=kw.pop("interview_type", paid_type),
            starts_at=starts_at,
            status=status,
        )
        for name, value in kw.items():
            setattr(booking, name, value)
        if kw:
            booking.save(update_fields=list(kw))
        if booking.price_paise:
            Payment.objects.create(
                booking=booking,
                gateway="test",
                order_ref=f"order_{booking.reference}",
                payment_ref=f"pay_{booking.reference}",
                amount_paise=booking.price_paise,
                status=PaymentStatus.CAPTURED,
                captured_at=starts_at - DAY,
            )
        return booking

    return make


@pytest.fixture
def as_staff(now, client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


@pytest.fixture
def as_interviewer(now, client, interviewer, two_factor):
    two_factor(interviewer)
    client.force_login(interviewer)
    return client
