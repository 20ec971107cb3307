"""A month of earnings for `seed_demo`: payout details and past sessions, each credited through
the ledger's own service, so the earnings, statement and payout screens have something to show."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import BookingStatus, NoShowSide
from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewerProfile

from .enums import PayoutMethod
from .models import EarningEntry
from .selectors import profile_of
from .services import earning_credit, payout_details_save

# (days ago, how it went): mostly sessions given, one candidate who did not come.
SESSIONS = [
    (33, BookingStatus.COMPLETED),
    (27, BookingStatus.COMPLETED),
    (20, BookingStatus.NO_SHOW),
    (12, BookingStatus.COMPLETED),
    (5, BookingStatus.COMPLETED),
]
# The candidate of those past sessions: not the demo login, whose own bookings stay empty.
PAST_CANDIDATE = {"email": "past.candidate@mockri.test", "full_name": "Isha Menon"}
DEMO_PAYEES = [
    {"method": PayoutMethod.BANK, "account_number": "50100234567890", "ifsc": "HDFC0001234"},
    {"method": PayoutMethod.UPI, "upi_id": "demo.interviewer@okicici"},
]


@transaction.atomic
def earnings_seed_demo(*, now: datetime.datetime | None = None) -> int:
    """For each demo interviewer without earnings yet: payout details (bank or UPI, taking
    turns) and the past month's sessions, credited. Returns how many interviewers got them."""
    now = now or timezone.now()
    made = 0
    # The live ones: the invited interviewer still onboarding has given no sessions yet.
    interviewers = User.objects.filter(
        is_interviewer=True,
        email__endswith="@mockri.test",
        interviewer_profile__went_live_at__isnull=False,
    )
    candidate = User.objects.filter(email=PAST_CANDIDATE["email"]).first()
    if candidate is None:  # no password: nobody signs in as them
        candidate = User.objects.create_user(PAST_CANDIDATE["email"], None, full_name="Isha Menon")
    for turn, user in enumerate(interviewers.order_by("pk")):
        profile = profile_of(user)
        kind = profile.interview_types.filter(price_paise__gt=0).first()
        if kind is None or EarningEntry.objects.filter(interviewer=profile).exists():
            continue
        payout_details_save(
            profile=profile, by=user, holder_name=user.full_name, **DEMO_PAYEES[turn % 2]
        )
        for days_ago, status in SESSIONS:
            starts_at = (now - datetime.timedelta(days=days_ago)).replace(
                minute=0, second=0, microsecond=0
            )
            ends_at = starts_at + datetime.timedelta(minutes=kind.duration_minutes)
            # Written directly, as it happened: the booking services refuse past times.
            booking = Booking.objects.create(
                candidate=candidate,
                interviewer=profile,
                interview_type=kind,
                status=status,
                no_show_side=NoShowSide.CANDIDATE if status == BookingStatus.NO_SHOW else "",
                starts_at=starts_at,
                ends_at=ends_at,
                busy_until=ends_at + datetime.timedelta(minutes=profile.buffer_minutes),
                price_paise=kind.price_paise,
            )
            earning_credit(booking_id=booking.pk)
        # Counted as the completion service would: the directory's reliability badge needs them.
        given = sum(status == BookingStatus.COMPLETED for _, status in SESSIONS)
        InterviewerProfile.objects.filter(pk=profile.pk).update(
            sessions_given=F("sessions_given") + given
        )
        made += 1
    return made
