import pytest
from django.urls import reverse

from mockri.bookings.enums import FileKind
from mockri.bookings.models import FileAccess
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.payments.models import Payment, Receipt
from mockri.privacy.services import grievance_submit
from tests.factories import TEST_PASSWORD
from tests.fixtures import NOW, SLOT_BOTH


@pytest.fixture
def reauthenticated(client):
    """Signed in and just confirmed their password, as actions on one's data require."""

    def reauthenticate(user):
        client.force_login(user)
        response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
        assert response.status_code == 302, response.content
        return client

    return reauthenticate


@pytest.fixture
def data_everywhere(now, candidate, interviewer, free_type, paid_type, profile, book):
    """A candidate with data in every app: a session with files someone opened, a paid
    session with its receipt, a meeting, emails, a grievance."""
    session = book(
        candidate=candidate,
        interview_type=free_type,
        interviewer=profile,
        target_company="Razorpay",
        focus_areas="Kavya wants to practise API design.",
    )
    paid = book(
        candidate=candidate, interview_type=paid_type, interviewer=profile, starts_at=SLOT_BOTH
    )
    payment = Payment.objects.create(
        booking=paid,
        gateway="test",
        order_ref="order_Kavya0001",
        payment_ref="pay_Kavya0001",
        amount_paise=paid.price_paise,
        status="captured",
        captured_at=NOW,
    )
    Receipt.objects.create(payment=payment)
    FileAccess.objects.create(
        booking=session,
        kind=FileKind.RESUME,
        file_name="Kavya resume.pdf",
        accessed_by=interviewer,
        accessed_by_role="interviewer",
    )
    Meeting.objects.get_or_create(
        booking=session,
        defaults={
            "provider": "jitsi",
            "url": "https://meet.jit.si/mockri-abc",
            "status": MeetingStatus.READY,
        },
    )
    grievance_submit(
        user=candidate,
        name=candidate.full_name,
        email=candidate.email,
        kind="correction",
        message="Please spell my surname Sharma.",
        now=NOW,
    )
    return {"session": session, "paid": paid, "payment": payment}
