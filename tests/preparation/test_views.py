"""/account/preparation/: the candidate's target job and their plan."""

import datetime

import pytest
from django.urls import reverse

from mockri.preparation.models import CandidateProfile
from tests.factories import CompanyFactory, InterviewerProfileFactory
from tests.fixtures import open_all_week

pytestmark = pytest.mark.django_db
URL = reverse("preparation:plan")


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_with_nothing_told_yet_the_page_explains_what_the_plan_needs(client, candidate, role):
    client.force_login(candidate)

    response = client.get(URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Add your target role and the date of your interview below" in text
    assert "We work a plan back from it and remind you a few days before." in text


def test_saving_the_profile_shows_a_plan_with_book_this_links(client, candidate, role):
    google = CompanyFactory(name="Google")
    client.force_login(candidate)

    response = client.post(
        URL,
        {
            "target_role": role.pk,
            "level": "senior",
            "target_companies": [google.pk],
            "interview_on": "2026-12-20",
        },
    )

    assert response.status_code == 302
    profile = CandidateProfile.objects.get(user=candidate)
    assert (profile.target_role, profile.level, profile.interview_on) == (
        role,
        "senior",
        datetime.date(2026, 12, 20),
    )
    assert list(profile.target_companies.all()) == [google]
    page = client.get(URL).content.decode()
    assert "For your interview on <strong>Sunday 20 December</strong>" in page
    assert page.count(">Book this<") == 3
    assert "/interviews/coding/book/details/?start=2026-12-02T03%3A30%3A00%2B00%3A00" in page


def test_a_date_that_has_passed_is_refused_and_nothing_is_saved(client, candidate, role):
    client.force_login(candidate)

    response = client.post(URL, {"target_role": role.pk, "interview_on": "2026-11-30"})

    assert response.status_code == 422
    assert "This date has passed" in response.content.decode()
    assert not CandidateProfile.objects.exists()


def test_an_unknown_role_is_refused(client, candidate, role):
    client.force_login(candidate)

    response = client.post(URL, {"target_role": "999999", "interview_on": "2026-12-20"})

    assert response.status_code == 422
    assert not CandidateProfile.objects.exists()


def test_an_interview_within_two_days_says_plainly_there_is_too_little_time(
    client, candidate, prepare
):
    prepare(candidate, interview_on=datetime.date(2026, 12, 2))
    client.force_login(candidate)

    page = client.get(URL).content.decode()

    assert "there is too little time left for a plan" in page
    assert ">Book this<" not in page


def test_each_candidate_sees_only_their_own_plan(client, candidate, other_candidate, prepare):
    prepare(candidate)
    client.force_login(other_candidate)

    page = client.get(URL).content.decode()

    assert "Sunday 20 December" not in page
    assert "Add your target role and the date of your interview below" in page


@pytest.mark.parametrize("interviewers", [1, 3])
def test_the_page_runs_a_fixed_number_of_queries(
    client, candidate, prepare, rounds, interviewers, django_assert_num_queries
):
    for _ in range(interviewers - 1):
        extra = open_all_week(InterviewerProfileFactory(companies=["Amazon"]))
        for interview_type in rounds:
            interview_type.interviewers.add(extra)
    prepare(candidate)
    client.force_login(candidate)

    with django_assert_num_queries(18):
        assert client.get(URL).status_code == 200


def test_clearing_every_field_saves_an_empty_profile(client, candidate, prepare):
    prepare(candidate)
    client.force_login(candidate)

    response = client.post(URL, {})

    assert response.status_code == 302
    profile = CandidateProfile.objects.get(user=candidate)
    assert (profile.target_role, profile.level, profile.interview_on) == (None, "", None)


def test_a_session_booked_before_it_became_too_late_is_still_shown(
    client, candidate, prepare, rounds, book
):
    book(candidate=candidate, interview_type=rounds[0])  # Wed 2 Dec, 10:00
    prepare(candidate, interview_on=datetime.date(2026, 12, 3))
    client.force_login(candidate)

    page = client.get(URL).content.decode()

    assert "there is too little time left for a plan" in page
    assert page.count("Not booked, and no time is left for it.") == 2
    assert '<span class="badge badge--success">Booked</span>' in page
