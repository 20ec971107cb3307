"""Onboarding: the declared steps, their progress, and going live only once the required ones
are done."""

import datetime

import pytest
from django.urls import reverse

from mockri.catalogue.models import InterviewerProfile
from mockri.catalogue.selectors import interviewers_listed
from mockri.interviewers import onboarding
from mockri.interviewers.enums import StatusAction
from mockri.interviewers.models import ProfileChange, StatusChange
from mockri.interviewers.onboarding import (
    PAYOUT_DETAILS,
    Step,
    onboarding_progress,
    onboarding_steps,
    step_register,
)
from mockri.interviewers.services import interviewer_go_live, interviewer_unlist
from mockri.lib.errors import PolicyViolation
from mockri.scheduling.models import WeeklyAvailability
from tests.factories import InterviewerProfileFactory, InterviewTypeFactory
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_steps(monkeypatch):
    """Steps other apps register, emptied for each test (the registry is process-wide)."""
    steps: dict[str, Step] = {}
    monkeypatch.setattr(onboarding, "_registered", steps)
    return steps


@pytest.fixture
def newcomer(db, now, registered_steps):
    """Invited and unlisted, with the profile the application started: no bio, level or hours."""
    return InterviewerProfileFactory(is_listed=False, bio="", seniority="", languages=["English"])


def complete(profile: InterviewerProfile) -> InterviewerProfile:
    profile.bio = "Ten years of backend work; 200 interviews run."
    profile.seniority = "staff"
    profile.save()
    profile.interview_types.add(InterviewTypeFactory())
    WeeklyAvailability.objects.create(
        interviewer=profile,
        weekday=0,
        start_time=datetime.time(18),
        end_time=datetime.time(21),
    )
    return profile


def states(profile) -> dict[str, bool]:
    return {state.step.key: state.done for state in onboarding_progress(profile).steps}


def test_a_newcomer_starts_with_nothing_done_but_what_the_application_gave(newcomer):
    assert states(newcomer) == {
        "profile": False,
        "photo": False,
        "hours": False,
        PAYOUT_DETAILS: False,
    }
    progress = onboarding_progress(newcomer)
    assert [step.key for step in progress.missing_required] == ["profile", "hours"]
    assert (progress.percent, progress.can_go_live) == (0, False)


def test_the_calendar_step_appears_where_the_meeting_provider_has_one(settings, newcomer):
    settings.MEETING_PROVIDER = "calcom"

    calendar = next(step for step in onboarding_steps() if step.key == "calendar")

    assert (calendar.required, calendar.is_done(newcomer)) == (False, False)
    newcomer.calcom_event_type_id = 42
    assert calendar.is_done(newcomer)


def test_payout_details_wait_for_the_earnings_app_and_then_become_required(
    newcomer, registered_steps
):
    complete(newcomer)
    assert onboarding_progress(newcomer).can_go_live  # the placeholder holds nothing back

    step_register(
        Step(
            key=PAYOUT_DETAILS,
            title="Payout details",
            summary="",
            url_name="interviewers:dashboard",
            is_done=lambda profile: False,
        )
    )

    progress = onboarding_progress(newcomer)
    assert [step.key for step in progress.missing_required] == [PAYOUT_DETAILS]
    with pytest.raises(PolicyViolation, match=r"Finish these steps first: Payout details\."):
        interviewer_go_live(profile=newcomer, now=NOW)


def test_going_live_lists_the_interviewer_and_records_it_for_staff(newcomer):
    complete(newcomer)

    interviewer_go_live(profile=newcomer, now=NOW)

    newcomer.refresh_from_db()
    assert (newcomer.is_listed, newcomer.went_live_at) == (True, NOW)
    assert interviewers_listed().filter(pk=newcomer.pk).exists()
    assert list(StatusChange.objects.values_list("action", "at")) == [(StatusAction.WENT_LIVE, NOW)]
    assert list(ProfileChange.objects.values_list("fields", flat=True)) == [["Went live"]]


def test_going_live_is_refused_with_the_missing_steps(newcomer):
    with pytest.raises(PolicyViolation, match="Your profile, Weekly hours"):
        interviewer_go_live(profile=newcomer, now=NOW)

    newcomer.refresh_from_db()
    assert newcomer.is_listed is False


def test_an_interviewer_staff_unlisted_cannot_go_live_again_alone(newcomer, staff):
    complete(newcomer)
    interviewer_unlist(newcomer, reason="Fake employer.", by=staff, now=NOW)

    with pytest.raises(PolicyViolation, match="Staff have taken your profile"):
        interviewer_go_live(profile=newcomer, now=NOW)


def test_the_onboarding_page_shows_each_step_and_offers_go_live_once_ready(
    client, newcomer, two_factor
):
    two_factor(newcomer.user)
    client.force_login(newcomer.user)

    before = client.get(reverse("interviewers:onboarding")).content.decode()
    complete(newcomer)
    after = client.get(reverse("interviewers:onboarding")).content.decode()

    assert 'data-step="profile" data-done="no"' in before
    assert "Still to do: Your profile, Weekly hours." in before
    assert reverse("interviewers:go_live") not in before
    assert 'data-step="hours" data-done="yes"' in after
    assert reverse("interviewers:go_live") in after


def test_the_go_live_button_lists_them_and_opens_the_dashboard(client, newcomer, two_factor):
    two_factor(newcomer.user)
    client.force_login(newcomer.user)
    complete(newcomer)

    response = client.post(reverse("interviewers:go_live"))

    assert response["Location"] == reverse("interviewers:dashboard")
    newcomer.refresh_from_db()
    assert newcomer.is_listed


def test_go_live_too_early_says_what_is_missing(client, newcomer, two_factor):
    two_factor(newcomer.user)
    client.force_login(newcomer.user)

    response = client.post(reverse("interviewers:go_live"), follow=True)

    assert "Finish these steps first: Your profile, Weekly hours." in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.is_listed is False


def test_onboarding_is_not_found_for_a_candidate(client, candidate):
    client.force_login(candidate)

    assert client.get(reverse("interviewers:onboarding")).status_code == 404
    assert client.post(reverse("interviewers:go_live")).status_code == 404
