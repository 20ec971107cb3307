import json

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from mockri.catalogue.models import InterviewerProfile
from mockri.feedback import personal_data
from mockri.feedback.models import Feedback, FeedbackScore, FocusSkill, Rating, Review
from mockri.feedback.services import (
    feedback_submit,
    focus_skills_set,
    rating_submit,
    review_moderate,
    review_reply,
)
from mockri.privacy.registry import ExportArchive
from tests.feedback.conftest import AFTER, scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(completed, candidate, interviewer):
    """A completed session with its scorecard and the candidate's rating."""
    feedback_submit(
        booking=completed,
        interviewer=interviewer,
        now=AFTER,
        **scorecard(strengths="Strong start. — Ananya Iyer", areas_to_improve="Ask ANANYA IYER."),
    )
    rating_submit(booking=completed, candidate=candidate, score=4, comment="Kind.", now=AFTER)
    return completed


def test_every_feedback_model_is_covered():
    assert set(personal_data.MODELS) == set(apps.get_app_config("feedback").get_models())


def test_the_candidate_exports_the_feedback_they_received_and_the_ratings_they_gave(
    reviewed, candidate
):
    data = personal_data.export(user=candidate, archive=ExportArchive())

    (received,) = data["feedback_you_received"]
    assert received["booking"] == reviewed.reference
    assert received["interviewer"] == "Ananya Iyer"
    assert received["hire_signal"] == "Hire"
    assert received["scores"] == [
        {"criterion": "Problem solving", "score": 3, "of": 4},
        {"criterion": "Communication", "score": 4, "of": 4},
    ]
    assert (received["submitted_at"], received["corrected_at"]) == (AFTER, None)
    assert data["ratings_you_gave"] == [
        {
            "booking": reviewed.reference,
            "interviewer": "Ananya Iyer",
            "score": 4,
            "comment": "Kind.",
            "rated_at": AFTER,
            "changed_at": AFTER,
        }
    ]
    assert data["feedback_you_wrote"] == data["ratings_about_you"] == []
    json.dumps(data, cls=DjangoJSONEncoder)  # JSON-ready


def test_the_interviewer_exports_what_they_wrote_and_the_ratings_about_them_without_names(
    reviewed, interviewer, candidate
):
    data = personal_data.export(user=interviewer, archive=ExportArchive())

    (written,) = data["feedback_you_wrote"]
    assert written["booking"] == reviewed.reference
    assert written["strengths"] == "Strong start. — Ananya Iyer"
    assert data["ratings_about_you"] == [
        {"booking": reviewed.reference, "score": 4, "comment": "Kind.", "rated_at": AFTER}
    ]
    assert data["feedback_you_received"] == data["ratings_you_gave"] == []
    assert candidate.full_name not in json.dumps(data, cls=DjangoJSONEncoder)


def test_someone_else_exports_nothing_of_it(reviewed, other_candidate):
    data = personal_data.export(user=other_candidate, archive=ExportArchive())

    assert all(value == [] for value in data.values())


def test_erasing_a_candidate_deletes_their_scorecards_and_keeps_their_scores_of_others(
    reviewed, candidate, profile
):
    personal_data.erase(user=candidate, now=AFTER)

    assert not Feedback.objects.exists()
    assert not FeedbackScore.objects.exists()
    rating = Rating.objects.get()
    assert (rating.booking, rating.score, rating.comment) == (reviewed, 4, "")
    profile = InterviewerProfile.objects.get(pk=profile.pk)
    assert (profile.rating_count, profile.rating_total) == (1, 4)


def test_erasing_an_interviewer_keeps_their_scorecards_without_their_name(
    reviewed, interviewer, profile
):
    personal_data.erase(user=interviewer, now=AFTER)

    feedback = Feedback.objects.get()
    assert feedback.booking == reviewed
    assert feedback.strengths == "Strong start. — the interviewer"
    assert feedback.areas_to_improve == "Ask the interviewer."
    assert feedback.scores.count() == 2
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (4, "")


def test_erasing_leaves_other_peoples_feedback_alone(reviewed, other_candidate, other_interviewer):
    personal_data.erase(user=other_candidate, now=AFTER)
    personal_data.erase(user=other_interviewer, now=AFTER)

    assert Feedback.objects.get().strengths == "Strong start. — Ananya Iyer"
    assert Rating.objects.get().comment == "Kind."


@pytest.fixture
def published(completed, candidate, interviewer, staff):
    """A session scored on a focus skill, whose rating's comment is published with a reply."""
    focus_skills_set(booking=completed, interviewer=interviewer, labels=["Python"], now=AFTER)
    feedback_submit(
        booking=completed,
        interviewer=interviewer,
        now=AFTER,
        **scorecard(scores={"problem_solving": 3, "communication": 4, "focus-python": 2}),
    )
    rating = rating_submit(
        booking=completed, candidate=candidate, score=5, comment="Kind.", publish=True, now=AFTER
    )
    review_moderate(review=rating.review, staff_user=staff, publish=True, now=AFTER)
    review_reply(review=rating.review, interviewer=interviewer, text="Thanks!", now=AFTER)
    return completed


def test_the_candidate_exports_their_focus_skills_and_published_reviews(published, candidate):
    data = personal_data.export(user=candidate, archive=ExportArchive())

    assert data["focus_skills_of_your_sessions"] == [
        {"booking": published.reference, "skill": "Python", "chosen_at": AFTER}
    ]
    (review,) = data["reviews_you_published"]
    assert (review["text"], review["shown_as"], review["status"], review["reply"]) == (
        "Kind.",
        "Kavya S.",
        "Published",
        "Thanks!",
    )
    assert review["interviewer"] == published.interviewer.display_name


def test_the_interviewer_exports_the_reviews_about_them(published, interviewer):
    data = personal_data.export(user=interviewer, archive=ExportArchive())

    assert [(r["text"], r["reply"]) for r in data["reviews_about_you"]] == [("Kind.", "Thanks!")]
    assert data["focus_skills_of_your_sessions"] == []


def test_erasing_a_candidate_removes_their_reviews_and_focus_skills(published, candidate):
    personal_data.erase(user=candidate, now=AFTER)

    assert not Review.objects.exists()
    assert not FocusSkill.objects.exists()


def test_erasing_an_interviewer_removes_the_reviews_and_replies_about_them(published, interviewer):
    personal_data.erase(user=interviewer, now=AFTER)

    assert not Review.objects.exists()
    # The candidate's scorecard keeps what it was scored on.
    assert FeedbackScore.objects.filter(criterion="focus-python").count() == 1


def test_erasing_the_moderator_keeps_the_review_without_naming_them(published, staff):
    personal_data.erase(user=staff, now=AFTER)

    review = Review.objects.get()
    assert (review.status, review.moderated_by) == ("published", None)
