"""Demo data for `make run`: the demo candidate's two past coding sessions with Ananya, scored on
the type's criteria and on focus skills from a pasted job description (so the feedback page
draws a trend), a review of each (one published with Ananya's reply, one waiting in
/console/reviews/), and an upcoming session whose focus skills Ananya has still to choose.

Everything goes through the services, so the rows are what the product itself would write;
the sessions are booked "as of" a few days before they took place.
"""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import Actor
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_confirm_payment, booking_create, booking_record_outcome
from mockri.catalogue.demo import DEMO_CANDIDATE, DEMO_STAFF
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.lib.errors import DomainError

from .models import Feedback
from .services import (
    feedback_submit,
    focus_skills_set,
    rating_submit,
    review_moderate,
    review_reply,
)

DEMO_JD = """Software Engineer II, Payments Platform (Bengaluru)

You will build the services that move money for millions of UPI and card payments. We work in
Python and Go, with PostgreSQL, Kafka and Redis on AWS.

What you'll do: design distributed systems that stay correct under retries; own REST APIs used
by merchants; write tests for every edge case; review code and mentor two junior engineers.

What we look for: strong data structures and algorithms, clear written communication, and
experience with payments or other systems where correctness matters."""

FOCUS_SKILLS = ["Python", "Distributed systems", "Payments"]
# (weeks ago, criteria scores, focus skill scores, rating, review comment)
PAST_SESSIONS = [
    (
        3,
        {"problem_solving": 2, "code_quality": 2, "testing": 1, "communication": 3},
        {"Python": 2, "Distributed systems": 1, "Payments": 2},
        5,
        "Ananya pushed me on idempotent retries exactly like my real payments round did. The "
        "debrief gave me three things to practise.",
    ),
    (
        1,
        {"problem_solving": 3, "code_quality": 3, "testing": 3, "communication": 4},
        {"Python": 3, "Distributed systems": 3, "Payments": 4},
        4,
        "Second session: noticeably calmer. The scorecard showed me how far I'd come.",
    ),
]


def _free_start(profile: InterviewerProfile, around: datetime.datetime) -> list[datetime.datetime]:
    """Start times at the beginning of the interviewer's weekly windows in the week after
    `around`, soonest first."""
    zone = ZoneInfo(profile.user.timezone)
    local = around.astimezone(zone)
    starts = []
    for offset in range(8):
        day = (local + datetime.timedelta(days=offset)).date()
        for rule in profile.weekly_availability.all():
            if rule.weekday == day.weekday():
                start = datetime.datetime.combine(day, rule.start_time, tzinfo=zone)
                if start > around:
                    starts.append(start.astimezone(datetime.UTC))
    return sorted(starts)


def _book(
    *, candidate: User, profile: InterviewerProfile, interview_type, around: datetime.datetime
) -> Booking | None:
    """A confirmed session in the interviewer's first free window after `around`, booked as
    of two days before it, or None when every window is taken."""
    for starts_at in _free_start(profile, around):
        try:
            booking = booking_create(
                candidate=candidate,
                interview_type=interview_type,
                interviewer=profile,
                starts_at=starts_at,
                job_description_text=DEMO_JD,
                target_company="Razorpay",
                idempotency_key=uuid.uuid4(),
                now=min(starts_at - datetime.timedelta(days=2), timezone.now()),
            )
        except DomainError:
            continue
        return booking_confirm_payment(booking)
    return None


@transaction.atomic
def feedback_seed_demo() -> None:
    """Create the demo sessions, scorecards and reviews once; a second run changes nothing."""
    candidate = User.objects.filter(email=DEMO_CANDIDATE["email"]).first()
    staff = User.objects.filter(email=DEMO_STAFF["email"]).first()
    interview_type = InterviewType.objects.filter(slug="coding-dsa").first()
    profile = InterviewerProfile.objects.filter(user__email="ananya@mockri.test").first()
    if not (candidate and staff and interview_type and profile):
        return
    if Feedback.objects.filter(booking__candidate=candidate).exists():
        return
    now = timezone.now()
    for weeks_ago, scores, focus_scores, stars, comment in PAST_SESSIONS:
        booking = _book(
            candidate=candidate,
            profile=profile,
            interview_type=interview_type,
            around=now - datetime.timedelta(weeks=weeks_ago),
        )
        if booking is None:
            continue
        skills = focus_skills_set(
            booking=booking, interviewer=profile.user, labels=FOCUS_SKILLS, now=booking.starts_at
        )
        after = booking.ends_at + datetime.timedelta(minutes=30)
        booking_record_outcome(booking, actor=profile.user, actor_role=Actor.INTERVIEWER, now=after)
        feedback_submit(
            booking=booking,
            interviewer=profile.user,
            scores={**scores, **{skill.key: focus_scores[skill.label] for skill in skills}},
            hire_signal="yes" if weeks_ago == 1 else "no",
            strengths="Clarified the constraints first and explained the approach while coding.",
            areas_to_improve="Write the retry and duplicate-payment cases before the happy path.\n"
            "Name the invariants of the ledger out loud.",
            now=after,
        )
        rating = rating_submit(
            booking=booking,
            candidate=candidate,
            score=stars,
            comment=comment,
            publish=True,
            now=after + datetime.timedelta(hours=2),
        )
        if weeks_ago == 3:
            review = review_moderate(
                review=rating.review, staff_user=staff, publish=True, now=after
            )
            review_reply(
                review=review,
                interviewer=profile.user,
                text="Thank you, Kavya! Good luck with the real round.",
                now=after + datetime.timedelta(days=1),
            )
    _book(candidate=candidate, profile=profile, interview_type=interview_type, around=now)
