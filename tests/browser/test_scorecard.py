"""The job-tied scorecard in a real browser: the interviewer picks focus skills suggested from
the job description and scores them; the candidate sees how they did against their job, with
each criterion's trend across their two sessions."""

import datetime
import uuid

import pytest
from django.utils import timezone

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_confirm_payment, booking_create, booking_record_outcome
from mockri.feedback.services import feedback_submit, focus_skills_set
from tests.browser.test_console import signed_in_with_two_factor
from tests.factories import InterviewerProfileFactory, InterviewTypeFactory, UserFactory
from tests.fixtures import open_all_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JD = "Backend engineer, payments. Python services, Kafka streams, Python tooling."
CRITERIA = [
    {"key": "problem_solving", "label": "Problem solving", "hint": "Finds an approach."},
    {"key": "communication", "label": "Communication", "hint": "Thinks aloud."},
]


def past_session(*, candidate, profile, interview_type, hours_ago: int):
    """A confirmed session that started `hours_ago`, booked two days before it."""
    starts_at = (timezone.now() - datetime.timedelta(hours=hours_ago)).replace(
        minute=0, second=0, microsecond=0
    )
    booking = booking_create(
        candidate=candidate,
        interview_type=interview_type,
        interviewer=profile,
        starts_at=starts_at,
        job_description_text=JD,
        idempotency_key=uuid.uuid4(),
        now=starts_at - datetime.timedelta(days=2),
    )
    return booking_confirm_payment(booking)


def test_the_interviewer_scores_focus_skills_and_the_candidate_sees_the_trend(
    live_server, browser, page, two_factor, private_storage
):
    profile = open_all_week(
        InterviewerProfileFactory(user__full_name="Ananya Iyer").user.interviewer_profile,
        "00:00",
        "23:30",
    )
    coding = InterviewTypeFactory(
        name="Coding", interviewers=[profile], scorecard_criteria=CRITERIA
    )
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    # An earlier session, scored on Python too, so the new scorecard draws a trend.
    earlier = past_session(
        candidate=candidate, profile=profile, interview_type=coding, hours_ago=72
    )
    focus_skills_set(booking=earlier, interviewer=profile.user, labels=["Python"])
    booking_record_outcome(earlier, actor=profile.user, actor_role=Actor.INTERVIEWER)
    feedback_submit(
        booking=earlier,
        interviewer=profile.user,
        scores={"problem_solving": 2, "communication": 2, "focus-python": 1},
        hire_signal="no",
        strengths="Calm.",
        areas_to_improve="Edge cases.",
    )
    session = past_session(candidate=candidate, profile=profile, interview_type=coding, hours_ago=2)

    signed_in_with_two_factor(page, live_server, profile.user, two_factor)
    page.goto(live_server.url + session.get_absolute_url())
    page.get_by_role("link", name="Choose focus skills").click()
    page.get_by_label("Python").check()
    page.get_by_label("Your own skill 1").fill("Idempotent retries")
    page.get_by_role("button", name="Save focus skills").click()
    page.get_by_text("Focus skills saved").wait_for()

    page.get_by_role("link", name="Write feedback").click()
    for criterion, score in [
        ("Problem solving", "3 · At the bar"),
        ("Communication", "4 · Above the bar"),
        ("Python", "3 · At the bar"),
        ("Idempotent retries", "2 · Below the bar"),
    ]:
        page.get_by_role("group", name=criterion).get_by_label(score).check()
    page.get_by_label("Strengths").fill("Explained the approach while coding.")
    page.get_by_label("Areas to improve").fill("Write the retry cases first.")
    page.get_by_label("Hire: Would pass this round at most companies.").check()
    page.get_by_role("button", name="Submit feedback").click()
    page.get_by_text("the candidate can now read your feedback").wait_for()

    candidate_view = browser.new_context().new_page()
    signed_in_with_two_factor(candidate_view, live_server, candidate, lambda *users: None)
    candidate_view.goto(live_server.url + session.get_absolute_url())

    assert candidate_view.get_by_role("heading", name="Against your job description").is_visible()
    chart = candidate_view.get_by_role("img", name="Python across your sessions")
    assert chart.is_visible()
    assert chart.get_attribute("aria-labelledby") == (
        "trend-focus-python-title trend-focus-python-desc"
    )
    assert "up 2 over 2 sessions" in candidate_view.locator("figure.trend").nth(2).inner_text()
    candidate_view.get_by_text("Python as a table").click()
    assert candidate_view.get_by_role("cell", name="3 of 4").first.is_visible()
    candidate_view.context.close()
