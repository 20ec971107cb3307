"""The demo data shows the job-tied scorecard: two scored sessions (a trend), focus skills,
a published review with a reply, one waiting for moderation, and an upcoming session."""

import pytest
from django.core.management import call_command

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.feedback.enums import ReviewStatus
from mockri.feedback.models import FeedbackScore, Review
from mockri.feedback.selectors import score_trends

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_demo_candidate_scored_sessions_and_reviews(now, private_storage):
    call_command("seed_demo", stdout=None)

    bookings = Booking.objects.filter(candidate__email="candidate@mockri.test").order_by(
        "starts_at"
    )
    assert [b.status for b in bookings] == [
        BookingStatus.COMPLETED,
        BookingStatus.COMPLETED,
        BookingStatus.CONFIRMED,
    ]
    latest = bookings[1].feedback
    assert [s.label for s in latest.scores.all() if s.is_focus_skill] == [
        "Python",
        "Distributed systems",
        "Payments",
    ]
    assert len(score_trends(feedback=latest)) == 7
    assert sorted(Review.objects.values_list("status", "reply")) == [
        (ReviewStatus.PENDING, ""),
        (ReviewStatus.PUBLISHED, "Thank you, Kavya! Good luck with the real round."),
    ]
    assert not bookings[2].focus_skills.exists()


def test_seed_demo_twice_adds_no_sessions(now, private_storage):
    call_command("seed_demo", stdout=None)
    scores, bookings = FeedbackScore.objects.count(), Booking.objects.count()

    call_command("seed_demo", stdout=None)

    assert (FeedbackScore.objects.count(), Booking.objects.count()) == (scores, bookings)
