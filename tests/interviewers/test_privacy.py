import datetime

import pytest
from django.core.management import call_command

from mockri.interviewers.demo import DEMO_APPLICATIONS
from mockri.interviewers.enums import ApplicationStatus
from mockri.interviewers.models import InterviewerApplication
from mockri.interviewers.personal_data import erase, export
from mockri.interviewers.services import application_accept, application_decline
from mockri.privacy.registry import ExportArchive
from mockri.privacy.services import retention_run
from tests.factories import UserFactory
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_declined_applications_are_deleted_when_their_retention_ends(
    apply_as, staff, settings, now
):
    settings.INTERVIEWER_APPLICATION_RETENTION_DAYS = 180
    declined = apply_as(email="declined@example.com")
    application_decline(application=declined, reason="No.", staff=staff, now=NOW)
    accepted = apply_as(email="accepted@example.com")
    application_accept(application=accepted, reason="Yes.", staff=staff, now=NOW)
    pending = apply_as(email="pending@example.com")

    kept = retention_run(now=NOW + 180 * DAY - datetime.timedelta(seconds=1))
    assert kept["declined interviewer applications"] == 0
    result = retention_run(now=NOW + 180 * DAY)

    assert result["declined interviewer applications"] == 1
    assert set(InterviewerApplication.objects.values_list("pk", flat=True)) == {
        accepted.pk,
        pending.pk,
    }


def test_an_export_holds_the_applications_made_with_the_account_address(apply_as, system_design):
    apply_as(email="kavya@example.com", full_name="Kavya", interview_types=[system_design])
    apply_as(email="someone.else@example.com")
    user = UserFactory(email="kavya@example.com")

    (application,) = export(user=user, archive=ExportArchive())["interviewer_applications"]

    assert (application["full_name"], application["status"], application["interview_types"]) == (
        "Kavya",
        ApplicationStatus.PENDING,
        ["System Design"],
    )
    assert application["profile_url"] == "https://www.linkedin.com/in/meera"


def test_erasure_deletes_the_applications_and_their_invitations(apply_as, staff):
    mine = apply_as(email="kavya@example.com")
    application_accept(application=mine, reason="Yes.", staff=staff, now=NOW)
    other = apply_as(email="someone.else@example.com")

    erase(user=UserFactory(email="kavya@example.com"), now=NOW)

    assert list(InterviewerApplication.objects.all()) == [other]
    assert not mine.invitations.exists()


def test_seed_demo_adds_two_pending_applications_once(db):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    assert sorted(
        InterviewerApplication.objects.filter(status="pending").values_list("email", flat=True)
    ) == sorted(spec["email"] for spec in DEMO_APPLICATIONS)
