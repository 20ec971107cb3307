"""Ratings and sessions given on the interviewer's public profile and the catalogue, read
with the profile itself: the pages' query counts do not change."""

import datetime

import pytest
from django.urls import reverse

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_confirm_payment, booking_record_outcome
from mockri.earnings.selectors import RELIABLE_AFTER_SESSIONS
from mockri.feedback.services import rating_submit
from tests.factories import InterviewerProfileFactory, UserFactory
from tests.fixtures import SLOT

pytestmark = pytest.mark.django_db
LATER = SLOT + datetime.timedelta(days=1)


@pytest.fixture
def rated(now, scored_type, profile, interviewer, book):
    """Complete one session with `profile` per score given, each rated by its candidate."""

    def rate(*scores: int) -> None:
        for index, score in enumerate(scores):
            candidate = UserFactory()
            booking = booking_confirm_payment(
                book(
                    candidate=candidate,
                    interview_type=scored_type,
                    interviewer=profile,
                    starts_at=SLOT + datetime.timedelta(hours=2 * index),
                )
            )
            booking_record_outcome(
                booking, actor=interviewer, actor_role=Actor.INTERVIEWER, now=LATER
            )
            rating_submit(booking=booking, candidate=candidate, score=score, now=LATER)

    return rate


def profile_page(client, profile) -> str:
    return client.get(
        reverse("catalogue:interviewer", kwargs={"slug": profile.slug})
    ).content.decode()


def test_fewer_than_three_ratings_show_as_new_with_the_sessions_given(client, rated, profile):
    rated(5, 5)

    page = profile_page(client, profile)

    assert "New" in page
    assert "out of 5" not in page
    assert "2 sessions given" in page


def test_three_ratings_show_their_average_and_count(client, rated, profile, scored_type):
    rated(5, 4, 4)

    page = profile_page(client, profile)
    card = client.get(reverse("catalogue:type", kwargs={"slug": scored_type.slug})).content.decode()

    assert "4.3 out of 5 · 3 ratings" in page
    assert "3 sessions given" in page
    assert "4.3 out of 5 · 3 ratings" in card


@pytest.mark.parametrize("count", [1, 3])
def test_the_profile_page_reads_the_ratings_without_more_queries(
    client, rated, profile, django_assert_num_queries, count
):
    # Enough sessions given either way, so the reliability badge is looked up in both.
    profile.sessions_given = RELIABLE_AFTER_SESSIONS
    profile.save(update_fields=["sessions_given"])
    rated(*[4] * count)

    # the profile, its companies, languages and interview types, its published reviews, and
    # its reliability record
    with django_assert_num_queries(6):
        client.get(reverse("catalogue:interviewer", kwargs={"slug": profile.slug}))


@pytest.mark.parametrize("count", [1, 3])
def test_the_interview_type_page_reads_the_ratings_without_more_queries(
    client, rated, scored_type, django_assert_num_queries, count
):
    rated(3, 4, 5)
    scored_type.interviewers.add(
        *InterviewerProfileFactory.create_batch(count - 1, rating_count=4, rating_total=18)
    )

    # the type, its interviewers and their companies and languages, as before ratings existed
    with django_assert_num_queries(4):
        page = client.get(reverse("catalogue:type", kwargs={"slug": scored_type.slug}))

    assert page.content.decode().count("out of 5") == count
