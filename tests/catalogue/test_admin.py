"""Staff edit interviewer profiles in the admin, including the Cal.com event type an interviewer
hosts (used for their sessions when MEETING_PROVIDER=calcom)."""

import pytest
from django.urls import reverse

from mockri.catalogue.admin import InterviewerProfileForm
from tests.factories import InterviewerProfileFactory

pytestmark = pytest.mark.django_db


def form_for(profile, **changes):
    data = {
        "user": profile.user_id,
        "slug": profile.slug,
        "display_name": profile.display_name,
        "headline": profile.headline,
        "bio": "",
        "past_roles": "[]",
        "years_experience": 5,
        "is_listed": True,
        "min_notice_minutes": 720,
        "horizon_days": 30,
        "buffer_minutes": 15,
        "max_sessions_per_day": 3,
        "calcom_event_type_id": "",
        **changes,
    }
    return InterviewerProfileForm(data, instance=profile)


@pytest.mark.parametrize(("given", "stored"), [("456", 456), ("", None)])
def test_staff_set_or_clear_the_interviewers_cal_com_event_type(given, stored):
    profile = InterviewerProfileFactory(calcom_event_type_id=123)

    form = form_for(profile, calcom_event_type_id=given)

    assert form.is_valid(), form.errors
    assert form.save().calcom_event_type_id == stored


@pytest.mark.parametrize("given", ["0", "-4", "abc"])
def test_an_event_type_id_that_cannot_be_one_is_refused(given):
    form = form_for(InterviewerProfileFactory(), calcom_event_type_id=given)

    assert not form.is_valid()
    assert list(form.errors) == ["calcom_event_type_id"]


def test_the_change_page_shows_the_field_with_its_help(client, staff, two_factor):
    staff.is_superuser = True
    staff.save()
    two_factor(staff)
    client.force_login(staff)
    profile = InterviewerProfileFactory()

    page = client.get(reverse("admin:catalogue_interviewerprofile_change", args=[profile.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="calcom_event_type_id"' in html
    assert "Cal.com event type id" in html
