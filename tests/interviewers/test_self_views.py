"""The interviewer's own pages: profile editing (photo included), calendar, and the dashboard."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mockri.interviewers.models import ProfileChange
from tests.catalogue.test_photos_reencode import GPS_IFD, jpeg_with_location
from tests.factories import CompanyFactory, InterviewerProfileFactory, InterviewTypeFactory
from tests.fixtures import NOW, past_session

pytestmark = pytest.mark.django_db
EDIT = reverse("interviewers:profile_edit")


@pytest.fixture
def coding(db):
    return InterviewTypeFactory(name="Coding", slug="coding")


@pytest.fixture
def signed_in(client, interviewer, two_factor):
    two_factor(interviewer)
    client.force_login(interviewer)
    return interviewer.interviewer_profile


def form(coding, **overrides):
    return {
        "headline": "Staff engineer, ex-Flipkart",
        "bio": "I have run 300 system design interviews.",
        "current_role": "Staff Engineer",
        "current_company": "Google India",
        "past_roles": "Senior Engineer, Flipkart\nSwiggy",
        "seniority": "staff",
        "years_experience": "11",
        "languages": "English, Kannada",
        "interview_types": [coding.pk],
        **overrides,
    }


def test_an_interviewer_edits_their_profile_and_known_companies_become_filters(
    client, signed_in, coding
):
    google = CompanyFactory(name="Google", aliases="Google India")
    flipkart = CompanyFactory(name="Flipkart")

    response = client.post(EDIT, form(coding))

    assert response.status_code == 302
    profile = signed_in
    profile.refresh_from_db()
    assert (profile.headline, profile.seniority, profile.years_experience) == (
        "Staff engineer, ex-Flipkart",
        "staff",
        11,
    )
    assert profile.past_roles == [
        {"role": "Staff Engineer", "company": "Google India"},
        {"role": "Senior Engineer", "company": "Flipkart"},
        {"role": "", "company": "Swiggy"},
    ]
    assert set(profile.companies.all()) == {google, flipkart}  # Swiggy is not curated yet
    assert [language.name for language in profile.languages.all()] == ["English", "Kannada"]
    assert list(profile.interview_types.all()) == [coding]


def test_an_uploaded_photo_loses_its_gps_location_before_anyone_sees_it(
    client, signed_in, coding, private_storage
):
    upload = SimpleUploadedFile("holiday.jpg", jpeg_with_location(), content_type="image/jpeg")

    client.post(EDIT, {**form(coding), "photo": upload})

    photo = client.get(reverse("interviewers:photo"))
    data = b"".join(photo.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(GPS_IFD) == {}
        assert dict(image.getexif()) == {}
    assert photo["Content-Type"] == "image/jpeg"
    assert b"PhoneCam" not in data


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_error(
    client, signed_in, coding, private_storage
):
    upload = SimpleUploadedFile("me.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg")

    response = client.post(EDIT, {**form(coding), "photo": upload})

    assert response.status_code == 422
    assert "The photo must be a JPEG, PNG, GIF or WebP image." in response.content.decode()
    signed_in.refresh_from_db()
    assert not signed_in.photo


def test_a_live_interviewers_visible_changes_are_listed_for_staff(client, signed_in, coding):
    signed_in.went_live_at = NOW
    signed_in.save()

    client.post(EDIT, form(coding))
    client.post(EDIT, form(coding, bio="Only my bio changes."))

    [change] = ProfileChange.objects.all()
    assert change.fields == ["Headline", "Companies"]
    assert change.summary.startswith("Staff engineer, ex-Flipkart\nStaff Engineer, Google India")


def test_changes_before_going_live_are_not_spot_checked(client, signed_in, coding):
    signed_in.is_listed = False
    signed_in.save()

    client.post(EDIT, form(coding))

    assert not ProfileChange.objects.exists()


def test_someone_without_a_profile_has_no_profile_page(client, candidate):
    client.force_login(candidate)

    assert client.get(EDIT).status_code == 404
    assert client.get(reverse("interviewers:dashboard")).status_code == 404


def test_the_calendar_page_saves_a_calcom_event_type_where_calcom_is_used(
    client, signed_in, settings
):
    settings.MEETING_PROVIDER = "calcom"

    response = client.post(reverse("interviewers:calendar"), {"calcom_event_type_id": "4321"})

    assert response.status_code == 302
    signed_in.refresh_from_db()
    assert signed_in.calcom_event_type_id == 4321


def sessions(count, *, profile, candidate, interview_type):
    for days in range(1, count + 1):
        past_session(
            candidate=candidate,
            interviewer=profile,
            interview_type=interview_type,
            starts_at=NOW - datetime.timedelta(days=days),
        )


def test_the_dashboard_shows_completeness_and_what_needs_doing(
    client, signed_in, candidate, paid_type
):
    sessions(1, profile=signed_in, candidate=candidate, interview_type=paid_type)

    page = client.get(reverse("interviewers:dashboard")).content.decode()

    assert 'data-testid="profile-completeness"' in page
    assert 'data-testid="feedback-to-write"' in page
    assert "Write your feedback" in page


@pytest.mark.parametrize("bookings", [1, 3])
def test_the_dashboard_reads_a_fixed_number_of_queries(
    client, signed_in, candidate, paid_type, bookings, django_assert_num_queries
):
    sessions(bookings, profile=signed_in, candidate=candidate, interview_type=paid_type)

    # The same for 1 and 3 sessions: the sessions and their feedback are read once each; the
    # rest is the request's own reads, one or two per onboarding step, and the earnings app's
    # panels (this month's statement and the balance: 4; the reliability record: 3).
    with django_assert_num_queries(22):
        client.get(reverse("interviewers:dashboard"))


def test_a_paused_interviewer_sees_why_on_the_dashboard(client, signed_in, staff):
    InterviewerProfileFactory()  # someone else, unaffected
    signed_in.hold, signed_in.hold_reason = "paused", "Two no-shows this month."
    signed_in.save()

    page = client.get(reverse("interviewers:dashboard")).content.decode()

    assert "Your profile is paused" in page
    assert "Two no-shows this month." in page
