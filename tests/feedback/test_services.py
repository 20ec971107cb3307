import datetime

import pytest

from mockri.bookings.enums import Actor, BookingStatus, NoShowSide
from mockri.bookings.services import booking_cancel, booking_record_outcome
from mockri.catalogue.models import InterviewerProfile
from mockri.feedback.models import Feedback, Rating
from mockri.feedback.services import feedback_correct, feedback_submit, rating_submit
from mockri.lib.errors import InvalidTransition, NotAllowed, PolicyViolation
from tests.feedback.conftest import AFTER, scorecard
from tests.fixtures import NOW, SLOT

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_feedback_on_a_started_session_marks_it_completed_and_keeps_the_scorecard(
    session, interviewer, profile
):
    feedback = feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())

    session.refresh_from_db()
    assert session.status == BookingStatus.COMPLETED
    assert (
        list(session.events.values_list("action", "actor_role")).count(
            ("completed", Actor.INTERVIEWER)
        )
        == 1
    )
    assert list(feedback.scores.values_list("criterion", "label", "score")) == [
        ("problem_solving", "Problem solving", 3),
        ("communication", "Communication", 4),
    ]
    assert (feedback.hire_signal, feedback.submitted_at, feedback.edited_at) == (
        "yes",
        AFTER,
        None,
    )
    assert feedback.strengths == "Clarified the constraints before coding."
    assert InterviewerProfile.objects.get(pk=profile.pk).sessions_given == 1


def test_feedback_on_a_session_already_completed_counts_the_session_once(
    completed, interviewer, profile
):
    feedback_submit(booking=completed, interviewer=interviewer, now=AFTER, **scorecard())

    assert Feedback.objects.get().booking == completed
    assert InterviewerProfile.objects.get(pk=profile.pk).sessions_given == 1


@pytest.mark.parametrize("who", ["other_interviewer", "candidate", "staff"])
def test_only_the_assigned_interviewer_writes_feedback(session, request, who):
    with pytest.raises(NotAllowed):
        feedback_submit(
            booking=session, interviewer=request.getfixturevalue(who), now=AFTER, **scorecard()
        )

    assert not Feedback.objects.exists()


def test_a_session_that_has_not_started_gets_no_scorecard(session, interviewer):
    with pytest.raises(PolicyViolation, match="once the session has started"):
        feedback_submit(
            booking=session,
            interviewer=interviewer,
            now=SLOT - datetime.timedelta(minutes=1),
            **scorecard(),
        )

    session.refresh_from_db()
    assert session.status == BookingStatus.CONFIRMED


def test_a_no_show_gets_no_scorecard(session, interviewer):
    booking_record_outcome(
        session,
        actor=interviewer,
        actor_role=Actor.INTERVIEWER,
        no_show_side=NoShowSide.CANDIDATE,
        now=AFTER,
    )

    with pytest.raises(PolicyViolation, match="no-show"):
        feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())


def test_a_cancelled_session_gets_no_scorecard(session, candidate, interviewer):
    booking_cancel(session, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)

    with pytest.raises(PolicyViolation, match="took place"):
        feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())


def test_a_candidate_who_closed_their_account_gets_no_new_scorecard(
    session, candidate, interviewer
):
    candidate.is_active = False
    candidate.save()

    with pytest.raises(PolicyViolation, match="closed their account"):
        feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"problem_solving": 3}, "Please score Communication."),
        ({"problem_solving": 3, "communication": 5}, "Score Communication from 1 to 4."),
        ({"problem_solving": 0, "communication": 2}, "Score Problem solving from 1 to 4."),
        (
            {"problem_solving": 3, "communication": 3, "design": 2},
            "The scorecard's criteria have changed",
        ),
    ],
)
def test_every_criterion_is_scored_from_1_to_4(session, interviewer, scores, message):
    with pytest.raises(PolicyViolation, match=message):
        feedback_submit(
            booking=session, interviewer=interviewer, now=AFTER, **scorecard(scores=scores)
        )

    session.refresh_from_db()
    assert session.status == BookingStatus.CONFIRMED  # nothing half-done


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hire_signal": "maybe"}, "hire signal"),
        ({"strengths": "   "}, "strengths"),
        ({"areas_to_improve": ""}, "areas to improve"),
        ({"strengths": "x" * 5001}, "under 5000"),
    ],
)
def test_the_written_parts_and_the_hire_signal_are_required(session, interviewer, changes, message):
    with pytest.raises(PolicyViolation, match=message):
        feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard(**changes))


def test_feedback_is_submitted_once_then_corrected(session, interviewer):
    feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())

    with pytest.raises(InvalidTransition, match="correct it"):
        feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())


def test_the_interviewer_corrects_the_feedback_and_the_time_is_recorded(session, interviewer):
    feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())

    corrected = feedback_correct(
        booking=session,
        interviewer=interviewer,
        now=AFTER + DAY,
        **scorecard(scores={"problem_solving": 2, "communication": 4}, hire_signal="no"),
    )

    corrected.refresh_from_db()
    assert (corrected.submitted_at, corrected.edited_at) == (AFTER, AFTER + DAY)
    assert corrected.hire_signal == "no"
    assert dict(corrected.scores.values_list("criterion", "score")) == {
        "problem_solving": 2,
        "communication": 4,
    }


def test_a_correction_that_changes_nothing_is_not_an_edit(session, interviewer):
    feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())

    feedback = feedback_correct(
        booking=session, interviewer=interviewer, now=AFTER + DAY, **scorecard()
    )

    assert feedback.edited_at is None


def test_a_correction_keeps_the_criteria_the_scorecard_was_written_with(
    session, interviewer, scored_type
):
    feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())
    scored_type.scorecard_criteria = [{"key": "design", "label": "Design"}]
    scored_type.save()

    feedback_correct(booking=session, interviewer=interviewer, now=AFTER + DAY, **scorecard())
    with pytest.raises(PolicyViolation):
        feedback_correct(
            booking=session,
            interviewer=interviewer,
            now=AFTER + DAY,
            **scorecard(scores={"design": 3}),
        )

    assert list(Feedback.objects.get().scores.values_list("label", flat=True)) == [
        "Problem solving",
        "Communication",
    ]


def test_only_the_interviewer_corrects_and_only_what_exists(
    session, interviewer, other_interviewer
):
    with pytest.raises(InvalidTransition, match="no feedback"):
        feedback_correct(booking=session, interviewer=interviewer, now=AFTER, **scorecard())
    feedback_submit(booking=session, interviewer=interviewer, now=AFTER, **scorecard())

    with pytest.raises(NotAllowed):
        feedback_correct(
            booking=session,
            interviewer=other_interviewer,
            now=AFTER,
            **scorecard(hire_signal="strong_no"),
        )

    assert Feedback.objects.get().hire_signal == "yes"


def test_a_type_without_criteria_gets_a_scorecard_of_words_and_a_signal(
    session, interviewer, scored_type
):
    scored_type.scorecard_criteria = []
    scored_type.save()

    feedback = feedback_submit(
        booking=session, interviewer=interviewer, now=AFTER, **scorecard(scores={})
    )

    assert list(feedback.scores.all()) == []


# --- Ratings ------------------------------------------------------------------------------------


def counters(profile) -> tuple[int, int, float | None]:
    profile = InterviewerProfile.objects.get(pk=profile.pk)
    return profile.rating_count, profile.rating_total, profile.average_rating


def test_the_candidate_rates_a_completed_session_and_the_profile_counts_it(
    completed, candidate, profile
):
    rating = rating_submit(
        booking=completed, candidate=candidate, score=4, comment="  Kind and sharp.  ", now=AFTER
    )

    assert (rating.score, rating.comment, rating.created_at) == (4, "Kind and sharp.", AFTER)
    assert counters(profile) == (1, 4, None)  # no average shown for one rating


def test_rating_again_changes_the_one_rating(completed, candidate, profile):
    rating_submit(booking=completed, candidate=candidate, score=2, now=AFTER)

    rating = rating_submit(
        booking=completed,
        candidate=candidate,
        score=5,
        comment="On reflection, great.",
        now=AFTER + DAY,
    )

    assert Rating.objects.count() == 1
    assert (rating.score, rating.comment, rating.created_at, rating.updated_at) == (
        5,
        "On reflection, great.",
        AFTER,
        AFTER + DAY,
    )
    assert counters(profile) == (1, 5, None)


def test_the_average_shows_from_three_ratings(profile):
    profile.rating_count, profile.rating_total = 2, 9
    assert profile.average_rating is None

    profile.rating_count, profile.rating_total = 3, 13
    assert profile.average_rating == 4.3


def test_only_a_completed_session_is_rated(session, candidate, interviewer):
    with pytest.raises(PolicyViolation, match="once the session has taken place"):
        rating_submit(booking=session, candidate=candidate, score=5, now=AFTER)

    booking_record_outcome(
        session,
        actor=interviewer,
        actor_role=Actor.INTERVIEWER,
        no_show_side=NoShowSide.INTERVIEWER,
        now=AFTER,
    )
    with pytest.raises(PolicyViolation):
        rating_submit(booking=session, candidate=candidate, score=1, now=AFTER)

    assert not Rating.objects.exists()


@pytest.mark.parametrize("who", ["other_candidate", "interviewer", "staff"])
def test_only_the_candidate_rates(completed, request, who):
    with pytest.raises(NotAllowed):
        rating_submit(booking=completed, candidate=request.getfixturevalue(who), score=5, now=AFTER)


@pytest.mark.parametrize("score", [0, 6])
def test_a_rating_is_from_1_to_5(completed, candidate, profile, score):
    with pytest.raises(PolicyViolation, match="from 1 to 5"):
        rating_submit(booking=completed, candidate=candidate, score=score, now=AFTER)

    assert counters(profile) == (0, 0, None)


def test_completing_a_session_counts_it_on_the_profile_once(session, interviewer, profile):
    booking_record_outcome(session, actor=interviewer, actor_role=Actor.INTERVIEWER, now=AFTER)

    with pytest.raises(InvalidTransition):
        booking_record_outcome(session, actor=interviewer, actor_role=Actor.INTERVIEWER, now=AFTER)

    assert InterviewerProfile.objects.get(pk=profile.pk).sessions_given == 1
