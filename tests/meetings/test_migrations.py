"""The migration that records whom each meeting was made for fills it in where that is known."""

import importlib

from django.apps import apps

from mockri.bookings.models import Booking
from mockri.meetings.models import Meeting
from tests.fixtures import SLOT_BOTH

backfill = importlib.import_module(
    "mockri.meetings.migrations.0002_meeting_interviewer"
).interviewer_of_up_to_date_meetings


def test_meetings_that_reflect_their_booking_get_its_interviewer_and_others_stay_unknown(
    booking, other_candidate, free_type, profile, book
):
    lagging_booking = book(
        candidate=other_candidate,
        interview_type=free_type,
        interviewer=profile,
        starts_at=SLOT_BOTH,
    )
    Booking.objects.filter(pk=lagging_booking.pk).update(version=2)  # moved since it was made
    current = Meeting.objects.create(booking=booking, provider="calcom", synced_version=1)
    lagging = Meeting.objects.create(booking=lagging_booking, provider="calcom", synced_version=1)

    backfill(apps, None)

    current.refresh_from_db()
    lagging.refresh_from_db()
    assert (current.interviewer, lagging.interviewer) == (profile, None)
