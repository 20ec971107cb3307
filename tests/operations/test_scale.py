"""The console's pages make the same number of queries with 10,000 bookings as with two."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment
from mockri.privacy.models import Grievance, GrievanceKind, GrievanceStatus
from tests.factories import UserFactory
from tests.fixtures import NOW, SLOT, past_session

pytestmark = pytest.mark.django_db
BOOKINGS = 10_000


def seed(*, count: int, candidates, interviewers, interview_type) -> None:
    """`count` past sessions, two hours apart; every tenth with a captured payment and an email
    (one in ten of those failed); a thousand rows per insert."""
    first = NOW - datetime.timedelta(hours=2 * count)
    duration = datetime.timedelta(minutes=interview_type.duration_minutes)
    numbered_from = Booking.objects.count()
    bookings = Booking.objects.bulk_create(
        [
            Booking(
                # Numbered: 10,000 random references collide now and then (about 1 run in 700).
                reference=f"MK-S{numbered_from + n:07d}",
                candidate=candidates[n % len(candidates)],
                interviewer=interviewers[n % len(interviewers)],
                interview_type=interview_type,
                status=BookingStatus.CANCELLED if n % 10 == 9 else BookingStatus.COMPLETED,
                starts_at=first + datetime.timedelta(hours=2 * n),
                ends_at=first + datetime.timedelta(hours=2 * n) + duration,
                busy_until=first + datetime.timedelta(hours=2 * n) + duration,
                price_paise=interview_type.price_paise,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    Payment.objects.bulk_create(
        [
            Payment(
                booking=booking,
                gateway="test",
                order_ref=f"order_S{booking.pk}",
                payment_ref=f"pay_S{booking.pk}",
                amount_paise=booking.price_paise,
                status=PaymentStatus.CAPTURED,
                captured_at=booking.starts_at - datetime.timedelta(days=1),
            )
            for booking in bookings[::10]
        ],
        batch_size=1000,
    )
    OutboxEmail.objects.bulk_create(
        [
            OutboxEmail(
                kind="booking_confirmed",
                booking=booking,
                recipient=booking.candidate,
                to_address=booking.candidate.email,
                dedupe_key=f"seeded:{booking.pk}",
                subject="Booked",
                text_body="Booked",
                html_body="<p>Booked</p>",
                status=OutboxStatus.FAILED if n % 10 == 0 else OutboxStatus.SENT,
            )
            for n, booking in enumerate(bookings[::10])
        ],
        batch_size=1000,
    )
    # A privacy request per ten sessions, from their candidates, due a day apart; half answered.
    first_number = Grievance.objects.count()
    Grievance.objects.bulk_create(
        [
            Grievance(
                reference=f"GRV-{first_number + n:06d}",
                user=booking.candidate,
                name=booking.candidate.full_name,
                email=booking.candidate.email,
                kind=GrievanceKind.ACCESS,
                message="A copy of my data, please.",
                status=GrievanceStatus.ANSWERED if n % 2 else GrievanceStatus.OPEN,
                due_at=NOW + datetime.timedelta(days=n % 60 - 10),
                verified_at=NOW,
            )
            for n, booking in enumerate(bookings[::10])
        ],
        batch_size=1000,
    )


def query_counts(client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_console_pages_make_the_same_queries_with_10000_bookings_as_with_two(
    now, client, staff, two_factor, candidate, profile, other_profile, paid_type
):
    paid_type.interviewers.add(other_profile)
    booking = past_session(
        candidate=candidate, interviewer=profile, interview_type=paid_type,
        starts_at=SLOT, status=BookingStatus.CONFIRMED,
    )  # fmt: skip
    two_factor(staff)
    client.force_login(staff)
    urls = [
        "/console/",
        "/console/bookings/",
        "/console/bookings/?status=completed",
        f"/console/bookings/{booking.reference}/",
        "/console/search/?q=kavya",
        f"/console/people/{candidate.pk}/",
        "/console/emails/",
        "/console/emails/?status=failed",
        "/console/metrics/?days=90",
        "/console/grievances/",
        "/console/grievances/?status=open&q=example.com",
        "/console/grievances/GRV-000000/",
    ]
    people = [candidate, *UserFactory.create_batch(9)]
    rows = {
        "candidates": people,
        "interviewers": [profile, other_profile],
        "interview_type": paid_type,
    }
    seed(count=1, **rows)  # every list has a row: an empty page skips its fetch
    client.get("/console/")  # the session and consent checks settle on the first request
    with_few = query_counts(client, urls)

    seed(count=BOOKINGS, **rows)
    with_many = query_counts(client, urls)

    assert Booking.objects.count() == BOOKINGS + 2
    assert with_many == with_few
