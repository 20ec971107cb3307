import datetime

import pytest
from django.urls import reverse

from mockri.bookings.models import Booking
from mockri.earnings.enums import ReportStatus
from mockri.earnings.models import NoShowReport
from mockri.earnings.selectors import RELIABLE_AFTER_SESSIONS
from tests.factories import InterviewerProfileFactory, InterviewTypeFactory, UserFactory
from tests.fixtures import past_session

pytestmark = pytest.mark.django_db


def test_type_list_shows_active_types_with_prices(client):
    InterviewTypeFactory(name="System Design", price_paise=199_900)
    InterviewTypeFactory(name="Career chat", price_paise=0, duration_minutes=20)
    InterviewTypeFactory(name="Retired round", is_active=False)

    page = client.get(reverse("catalogue:types")).content.decode()

    assert "System Design" in page
    assert "₹1,999" in page
    assert "Career chat" in page
    assert "Free" in page
    assert "Retired round" not in page


@pytest.mark.parametrize("count", [1, 3])
def test_type_list_queries_do_not_grow_with_types(client, django_assert_num_queries, count):
    InterviewTypeFactory.create_batch(count)

    with django_assert_num_queries(1):
        client.get(reverse("catalogue:types"))


def test_type_detail_lists_the_interviewers_who_offer_it(client):
    offering = InterviewerProfileFactory(display_name="Ananya Iyer")
    not_offering = InterviewerProfileFactory(display_name="David Kim")
    InterviewTypeFactory(name="Coding / DSA", slug="coding-dsa", interviewers=[offering])

    page = client.get(reverse("catalogue:type", kwargs={"slug": "coding-dsa"})).content.decode()

    assert "Coding / DSA" in page
    assert offering.display_name in page
    assert not_offering.display_name not in page


@pytest.mark.parametrize("count", [1, 3])
def test_type_detail_queries_do_not_grow_with_interviewers(
    client, django_assert_num_queries, count
):
    interviewers = InterviewerProfileFactory.create_batch(count)
    InterviewTypeFactory(slug="coding-dsa", interviewers=interviewers)

    # The type, the interviewers, their companies and their languages.
    with django_assert_num_queries(4):
        client.get(reverse("catalogue:type", kwargs={"slug": "coding-dsa"}))


def test_an_inactive_type_is_not_found(client):
    InterviewTypeFactory(slug="retired", is_active=False)

    response = client.get(reverse("catalogue:type", kwargs={"slug": "retired"}))

    assert response.status_code == 404


def test_interviewer_page_shows_the_profile_and_the_types_offered(client):
    interviewer = InterviewerProfileFactory(
        slug="ananya",
        display_name="Ananya Iyer",
        headline="Senior software engineer, Google",
        past_roles=[{"role": "Senior Software Engineer", "company": "Google"}],
        years_experience=9,
        languages=["English", "Tamil"],
    )
    InterviewTypeFactory(name="System Design", interviewers=[interviewer])

    page = client.get(reverse("catalogue:interviewer", kwargs={"slug": "ananya"})).content.decode()

    for text in ["Ananya Iyer", "Senior software engineer, Google", "Tamil", "System Design"]:
        assert text in page


def test_an_unlisted_interviewer_is_not_found(client):
    InterviewerProfileFactory(slug="hidden", is_listed=False)

    response = client.get(reverse("catalogue:interviewer", kwargs={"slug": "hidden"}))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_interviewer_page_queries_do_not_grow_with_types(client, django_assert_num_queries, count):
    interviewer = InterviewerProfileFactory(slug="ananya", sessions_given=RELIABLE_AFTER_SESSIONS)
    InterviewTypeFactory.create_batch(count, interviewers=[interviewer])

    # The profile, its companies, languages and types, its published reviews, and its record
    # for the reliability badge.
    with django_assert_num_queries(6):
        client.get(reverse("catalogue:interviewer", kwargs={"slug": "ananya"}))


@pytest.mark.parametrize(
    ("sessions_given", "incident", "badge"),
    [
        (3, None, True),
        (2, None, False),
        (3, "no-show", False),
        (3, "confirmed report", False),
        (3, "late cancellation", False),
    ],
)
def test_the_profile_shows_the_reliable_badge_only_for_a_clean_record(
    client, now, sessions_given, incident, badge
):
    interviewer = InterviewerProfileFactory(slug="ananya", sessions_given=sessions_given)
    kind = InterviewTypeFactory(interviewers=[interviewer])
    booking = past_session(
        candidate=UserFactory(),
        interviewer=interviewer,
        interview_type=kind,
        starts_at=now + datetime.timedelta(hours=5)
        if incident == "late cancellation"
        else now - datetime.timedelta(days=10),
    )
    if incident == "no-show":
        Booking.objects.filter(pk=booking.pk).update(status="no_show", no_show_side="interviewer")
    elif incident == "confirmed report":
        NoShowReport.objects.create(booking=booking, status=ReportStatus.CONFIRMED, reported_at=now)
    elif incident == "late cancellation":
        Booking.objects.filter(pk=booking.pk).update(
            status="cancelled",
            cancelled_by="interviewer",
            cancelled_at=now - datetime.timedelta(hours=1),
        )

    page = client.get(reverse("catalogue:interviewer", kwargs={"slug": "ananya"})).content.decode()

    assert ("data-reliable" in page) is badge
    assert ("no missed or late-cancelled sessions in 90 days" in page) is badge
