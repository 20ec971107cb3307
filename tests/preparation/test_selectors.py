"""The plan as computed from the database (preparation.selectors.preparation_plan)."""

import datetime

import pytest

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel
from mockri.preparation.planning import StepStatus, Verdict
from mockri.preparation.selectors import candidate_profile_of, preparation_plan
from tests.factories import InterviewerProfileFactory
from tests.fixtures import NOW, open_all_week, past_session

pytestmark = pytest.mark.django_db
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


def plan_of(user):
    return preparation_plan(user=user, profile=candidate_profile_of(user=user), now=NOW)


def local(moment):
    return moment.astimezone(IST).strftime("%a %d %H:%M")


def test_the_plan_suggests_a_free_time_with_an_interviewer_for_each_round(candidate, prepare):
    prepare(candidate)

    shown = plan_of(candidate)

    assert shown.plan.verdict == Verdict.ON_TRACK
    assert [step.interview_type.slug for step in shown.steps] == [
        "coding",
        "system-design",
        "behavioral",
    ]
    # 12 hours notice from Tue 1 Dec 09:00 (hours 9:00-18:00): Wed 09:00 comes first.
    assert [local(step.starts_at) for step in shown.steps] == [
        "Wed 02 09:00",
        "Mon 07 09:00",
        "Sat 12 11:00",
    ]
    assert shown.steps[0].book_href == (
        "/interviews/coding/book/details/?start=2026-12-02T03%3A30%3A00%2B00%3A00"
        f"&interviewer={shown.steps[0].interviewer.slug}"
    )


def test_an_interviewer_from_a_target_company_at_the_target_level_is_preferred(
    candidate, prepare, rounds, profile
):
    google = open_all_week(
        InterviewerProfileFactory(
            display_name="Meera Rao", companies=["Google"], seniority="staff", sessions_given=0
        )
    )
    for interview_type in rounds:
        interview_type.interviewers.add(google)
    prepare(candidate, target_companies=list(google.companies.all()), level="staff")

    shown = plan_of(candidate)

    assert {step.interviewer for step in shown.steps} == {google}
    assert shown.steps[0].reasons == ["Worked at Google", "Staff / principal level"]


def test_a_booked_session_is_shown_as_done_and_a_cancelled_one_is_suggested_again(
    candidate, prepare, rounds, book
):
    prepare(candidate)
    booking = book(
        candidate=candidate,
        interview_type=rounds[1],
        starts_at=datetime.datetime(2026, 12, 4, 5, 30, tzinfo=datetime.UTC),
    )

    booked = plan_of(candidate)
    assert [step.status for step in booked.steps] == [
        StepStatus.SUGGESTED,
        StepStatus.BOOKED,
        StepStatus.SUGGESTED,
    ]
    assert booked.steps[1].booking == booking

    booking_cancel(booking=booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Clash")
    again = plan_of(candidate)

    assert again.steps[1].status == StepStatus.SUGGESTED


def test_a_session_taken_in_the_weeks_before_counts_as_done(candidate, prepare, rounds, profile):
    prepare(candidate)
    past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=rounds[0],
        starts_at=NOW - datetime.timedelta(days=10),
    )

    assert plan_of(candidate).steps[0].status == StepStatus.BOOKED


def test_with_no_interviewer_offering_the_rounds_the_plan_says_there_is_no_time(
    candidate, prepare, rounds
):
    for interview_type in rounds:
        interview_type.interviewers.clear()
    prepare(candidate)

    shown = plan_of(candidate)

    assert shown.plan.verdict == Verdict.TIGHT
    assert [step.status for step in shown.steps] == [StepStatus.NO_TIME] * 3


def test_without_a_role_or_a_date_there_is_no_plan(candidate, prepare):
    assert prepare(candidate, interview_on=None) and plan_of(candidate) is None
    assert prepare(candidate, target_role=None) and plan_of(candidate) is None


def test_the_plan_takes_a_fixed_number_of_queries_however_many_interviewers(
    candidate, prepare, rounds, django_assert_num_queries
):
    prepare(candidate)
    profile = candidate_profile_of(user=candidate)
    with django_assert_num_queries(7) as one:
        preparation_plan(user=candidate, profile=profile, now=NOW)
    for _ in range(3):
        extra = open_all_week(InterviewerProfileFactory(companies=["Amazon"]))
        for interview_type in rounds:
            interview_type.interviewers.add(extra)

    with django_assert_num_queries(len(one.captured_queries)):
        preparation_plan(user=candidate, profile=profile, now=NOW)
