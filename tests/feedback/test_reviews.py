"""Public reviews: a candidate publishes their rating's comment (first name and initial), staff
moderate it, the interviewer replies once, and the interviewer's profile shows it."""

import datetime

import pytest
from django.urls import reverse

from mockri.feedback.enums import ReviewStatus
from mockri.feedback.models import Review
from mockri.feedback.services import (
    feedback_submit,
    public_name,
    rating_submit,
    review_moderate,
    review_reply,
)
from mockri.lib.errors import InvalidTransition, NotAllowed, PolicyViolation
from tests.factories import UserFactory
from tests.feedback.conftest import AFTER, scorecard
from tests.fixtures import SLOT, past_session

pytestmark = pytest.mark.django_db

COMMENT = "Clear hints and an honest debrief."
# The console page's reads: the session with the staff member, the "needs attention" queue in its
# header, the reviews waiting (one query) and the latest decisions (one query).
QUERIES_CONSOLE = 20


@pytest.fixture
def rate(completed, candidate):
    def submit(comment: str = COMMENT, *, publish: bool = True, score: int = 5):
        return rating_submit(
            booking=completed,
            candidate=candidate,
            score=score,
            comment=comment,
            publish=publish,
            now=AFTER,
        )

    return submit


@pytest.fixture
def published(rate, staff):
    review = rate().review
    return review_moderate(review=review, staff_user=staff, publish=True, now=AFTER)


def profile_url(profile) -> str:
    return reverse("catalogue:interviewer", kwargs={"slug": profile.slug})


def reply_url(review) -> str:
    return reverse(
        "feedback:reply",
        kwargs={"reference": review.rating.booking.reference, "review_id": review.pk},
    )


# --- publishing, withdrawing, moderating, replying ---


def test_publishing_a_comment_asks_staff_and_names_the_candidate_by_first_name_and_initial(rate):
    review = rate().review

    assert (review.status, review.author_name, review.requested_at) == (
        ReviewStatus.PENDING,
        "Kavya S.",
        AFTER,
    )


@pytest.mark.parametrize(
    ("full_name", "shown"),
    [
        ("Kavya Sharma", "Kavya S."),
        ("Priya", "Priya"),
        ("anil kumar reddy", "anil R."),
        ("", "A Mockri candidate"),
    ],
)
def test_the_public_name_is_the_first_name_and_the_last_initial(full_name, shown):
    assert public_name(full_name) == shown


def test_there_is_nothing_to_publish_without_a_comment(rate):
    with pytest.raises(PolicyViolation) as refused:
        rate("")

    assert refused.value.message == (
        "Please write a comment to publish it on the interviewer's profile."
    )


def test_unticking_publish_withdraws_the_review(published, rate):
    rate(publish=False)

    assert not Review.objects.exists()


def test_rating_again_with_the_same_comment_keeps_the_published_review(published, rate):
    rate(score=4)

    published.refresh_from_db()
    assert published.status == ReviewStatus.PUBLISHED


def test_changing_the_comment_sends_the_review_back_to_moderation_without_the_old_reply(
    published, rate, interviewer
):
    review_reply(review=published, interviewer=interviewer, text="Thank you!", now=AFTER)

    rate("Changed my mind about the debrief.")

    published.refresh_from_db()
    assert (published.status, published.reply, published.moderated_by) == (
        ReviewStatus.PENDING,
        "",
        None,
    )


def test_staff_publish_or_decline_a_review_once(rate, staff):
    review = rate().review

    review_moderate(review=review, staff_user=staff, publish=False, now=AFTER)

    review.refresh_from_db()
    assert (review.status, review.moderated_by, review.moderated_at) == (
        ReviewStatus.REJECTED,
        staff,
        AFTER,
    )
    with pytest.raises(InvalidTransition):
        review_moderate(review=review, staff_user=staff, publish=True)


def test_a_review_changed_after_staff_loaded_it_is_not_moderated(rate, staff):
    loaded = rate().review
    rate("A different comment, written later.")
    Review.objects.filter(pk=loaded.pk).update(requested_at=AFTER.replace(hour=23))

    with pytest.raises(InvalidTransition):
        review_moderate(review=loaded, staff_user=staff, publish=True)


def test_only_staff_moderate(rate, interviewer):
    with pytest.raises(NotAllowed):
        review_moderate(review=rate().review, staff_user=interviewer, publish=True)


def test_the_interviewer_replies_once_to_a_published_review(published, interviewer):
    review_reply(review=published, interviewer=interviewer, text="  Thank you, Kavya.  ", now=AFTER)

    published.refresh_from_db()
    assert (published.reply, published.replied_at) == ("Thank you, Kavya.", AFTER)
    with pytest.raises(InvalidTransition) as refused:
        review_reply(review=published, interviewer=interviewer, text="And again.")
    assert refused.value.message == "You have already replied to this review."


def test_a_review_waiting_for_moderation_gets_no_reply(rate, interviewer):
    with pytest.raises(PolicyViolation):
        review_reply(review=rate().review, interviewer=interviewer, text="Thanks")


@pytest.mark.parametrize("who", ["candidate", "other_interviewer", "staff"])
def test_only_the_sessions_interviewer_replies(published, request, who):
    with pytest.raises(NotAllowed):
        review_reply(review=published, interviewer=request.getfixturevalue(who), text="Hi")


# --- the pages ---


def test_the_profile_shows_published_reviews_with_the_reply(
    client, published, profile, interviewer
):
    review_reply(review=published, interviewer=interviewer, text="Glad it helped!", now=AFTER)

    page = client.get(profile_url(profile)).content.decode()

    assert "What candidates say" in page
    assert COMMENT in page
    assert "Kavya S." in page
    assert "Kavya Sharma" not in page
    assert "Glad it helped!" in page


@pytest.mark.parametrize("decision", [None, False])
def test_the_profile_never_shows_a_review_staff_have_not_published(
    client, rate, staff, profile, decision
):
    review = rate().review
    if decision is not None:
        review_moderate(review=review, staff_user=staff, publish=decision)

    page = client.get(profile_url(profile)).content.decode()

    assert COMMENT not in page
    assert "What candidates say" not in page


def test_the_profile_escapes_a_review(client, rate, staff, profile):
    review = rate('<script>alert("x")</script>').review
    review_moderate(review=review, staff_user=staff, publish=True)

    page = client.get(profile_url(profile)).content.decode()

    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_the_candidate_publishes_from_the_rating_form_and_sees_the_status(
    client, completed, candidate
):
    client.force_login(candidate)
    rate_url = reverse("feedback:rate", kwargs={"reference": completed.reference})

    response = client.post(rate_url, {"score": "5", "comment": COMMENT, "publish": "on"})
    page = client.get(completed.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert Review.objects.get().status == ReviewStatus.PENDING
    assert "Shown as “Kavya S.” after Mockri staff check it." in page
    assert "waiting for moderation" in page


def test_the_interviewer_replies_from_the_booking_page(
    as_interviewer, published, completed, interviewer
):
    # The interviewer sees the rating, and so its review, once their feedback is written.
    feedback_submit(booking=completed, interviewer=interviewer, now=AFTER, **scorecard())
    page = as_interviewer.get(completed.get_absolute_url()).content.decode()
    response = as_interviewer.post(reply_url(published), {"reply": "Thank you!"})

    assert reply_url(published) in page
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.reply == "Thank you!"


@pytest.mark.parametrize("who", ["candidate", "other_interviewer"])
def test_no_one_else_replies(client, published, request, who, two_factor):
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    assert client.post(reply_url(published), {"reply": "Hi"}).status_code == 404
    published.refresh_from_db()
    assert published.reply == ""


# --- the console ---


@pytest.fixture
def as_staff(completed, client, staff, two_factor):
    """Staff signed in after the session (sign-ins expire when idle)."""
    two_factor(staff)
    client.force_login(staff)
    return client


def test_staff_publish_a_review_from_the_console(as_staff, rate, staff):
    review = rate().review
    moderate_url = reverse("console_reviews:moderate", kwargs={"review_id": review.pk})

    page = as_staff.get(reverse("console_reviews:list")).content.decode()
    response = as_staff.post(moderate_url, {"decision": "publish"})

    assert COMMENT in page
    assert moderate_url in page
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.moderated_by) == (ReviewStatus.PUBLISHED, staff)


def test_an_unknown_decision_changes_nothing(as_staff, rate):
    review = rate().review

    as_staff.post(
        reverse("console_reviews:moderate", kwargs={"review_id": review.pk}), {"decision": "x"}
    )

    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_the_console_reviews_are_staff_only(client, rate, request, who, two_factor):
    review = rate().review
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    assert client.get(reverse("console_reviews:list")).status_code == 404
    moderate_url = reverse("console_reviews:moderate", kwargs={"review_id": review.pk})
    assert client.post(moderate_url, {"decision": "publish"}).status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


def make_reviews(*, count, profile, interview_type, staff, publish: bool) -> None:
    """`count` rated past sessions of `profile`, each candidate asking to publish a comment."""
    for index in range(count):
        someone = UserFactory(full_name=f"Candidate{index} Surname")
        booking = past_session(
            candidate=someone,
            interviewer=profile,
            interview_type=interview_type,
            starts_at=SLOT - datetime.timedelta(days=index + 1),
        )
        rating = rating_submit(
            booking=booking, candidate=someone, score=5, comment=f"Comment {index}", publish=True
        )
        if publish:
            review_moderate(review=rating.review, staff_user=staff, publish=True)


@pytest.mark.parametrize("count", [1, 3])
def test_the_profile_reads_its_reviews_in_one_query(
    client, now, profile, scored_type, staff, count, django_assert_num_queries
):
    make_reviews(
        count=count, profile=profile, interview_type=scored_type, staff=staff, publish=True
    )

    # the profile, its companies, languages and interview types, and its published reviews
    with django_assert_num_queries(5):
        page = client.get(profile_url(profile)).content.decode()

    assert page.count('class="review card panel"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_console_reads_as_much_however_many_reviews_wait(
    client, now, two_factor, profile, scored_type, staff, count, django_assert_num_queries
):
    make_reviews(
        count=count, profile=profile, interview_type=scored_type, staff=staff, publish=False
    )
    two_factor(staff)
    client.force_login(staff)

    with django_assert_num_queries(QUERIES_CONSOLE):
        page = client.get(reverse("console_reviews:list")).content.decode()

    assert page.count("Comment ") == count
