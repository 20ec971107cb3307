"""Staff's interviewer pages under /console/: applications (moved from /staff/), a new
invitation for an expired one, pause / unlist / resume, and the spot-check list."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from mockri.catalogue.selectors import interviewers_listed
from mockri.interviewers.enums import StatusAction
from mockri.interviewers.models import Invitation, ProfileChange, StatusChange
from mockri.interviewers.services import application_accept
from mockri.operations.selectors import ATTENTION_KINDS
from tests.factories import InterviewerProfileFactory
from tests.fixtures import NOW, emails_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_staff(client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


def test_the_old_staff_address_redirects_to_the_console(as_staff, pending):
    assert as_staff.get("/staff/applications/?order=oldest")["Location"] == (
        reverse("interviewers:queue") + "?order=oldest"
    )
    assert as_staff.get(f"/staff/applications/{pending.pk}/")["Location"] == reverse(
        "interviewers:application", args=[pending.pk]
    )
    assert reverse("interviewers:queue") == "/console/applications/"


def test_staff_send_a_new_invitation_when_the_first_expired(
    as_staff, staff, pending, now, time_machine
):
    first = application_accept(application=pending, reason="Welcome.", staff=staff, now=NOW)
    later = first.expires_at + datetime.timedelta(days=1)
    time_machine.move_to(later)
    as_staff.force_login(staff)

    with emails_sent():
        response = as_staff.post(reverse("interviewers:invitation_resend", args=[pending.pk]))

    assert response["Location"] == reverse("interviewers:application", args=[pending.pk])
    newest = Invitation.objects.get()  # the expired one is gone with its link
    assert newest.created_at >= later
    assert newest.expires_at > newest.created_at
    assert [m.to for m in mail.outbox if "invited" in m.subject] == [["meera@example.com"]] * 2


def test_a_new_invitation_ends_the_previous_unused_one(client, as_staff, staff, pending):
    first = application_accept(application=pending, reason="Welcome.", staff=staff, now=NOW)

    as_staff.post(reverse("interviewers:invitation_resend", args=[pending.pk]))

    assert not Invitation.objects.filter(pk=first.pk).exists()
    assert Invitation.objects.count() == 1


def test_no_new_invitation_for_a_pending_application(as_staff, pending):
    response = as_staff.post(
        reverse("interviewers:invitation_resend", args=[pending.pk]), follow=True
    )

    assert "Only an accepted application" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.fixture
def live(db, now):
    return InterviewerProfileFactory(slug="ravi", went_live_at=NOW)


def hold(client, profile, action, reason="Checking a complaint."):
    return client.post(
        reverse("interviewers:console_hold", args=[profile.pk]),
        {"action": action, "reason": reason},
    )


def test_staff_pause_an_interviewer_who_then_leaves_the_directory(as_staff, staff, live):
    hold(as_staff, live, "pause")

    live.refresh_from_db()
    assert (live.hold, live.hold_reason, live.is_listed) == (
        "paused",
        "Checking a complaint.",
        True,
    )
    assert not interviewers_listed().filter(pk=live.pk).exists()
    change = StatusChange.objects.get()
    assert (change.action, change.by, change.reason) == (
        StatusAction.PAUSED,
        staff,
        "Checking a complaint.",
    )


def test_staff_unlist_then_resume_an_interviewer_who_had_gone_live(as_staff, live):
    hold(as_staff, live, "unlist", "Employer could not be confirmed.")
    live.refresh_from_db()
    assert (live.hold, live.is_listed) == ("unlisted", False)

    hold(as_staff, live, "resume", "Confirmed by phone.")

    live.refresh_from_db()
    assert (live.hold, live.is_listed) == ("", True)
    assert interviewers_listed().filter(pk=live.pk).exists()
    assert list(StatusChange.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        StatusAction.UNLISTED,
        StatusAction.RESUMED,
    ]


def test_a_hold_needs_a_reason(as_staff, live):
    hold(as_staff, live, "pause", reason="")

    live.refresh_from_db()
    assert live.hold == ""


@pytest.mark.parametrize("count", [1, 3])
def test_the_interviewer_list_reads_a_fixed_number_of_queries(
    as_staff, count, now, django_assert_num_queries
):
    for _ in range(count):
        InterviewerProfileFactory(went_live_at=NOW)

    with django_assert_num_queries(9 + len(ATTENTION_KINDS)):  # the console's navigation
        page = as_staff.get(reverse("interviewers:console_list"))

    assert page.content.decode().count("data-interviewer=") == count


def test_staff_clear_a_spot_check_that_looks_fine(as_staff, staff, live):
    change = ProfileChange.objects.create(profile=live, fields=["Photo"], changed_at=NOW)

    listed = as_staff.get(reverse("interviewers:spot_checks")).content.decode()
    as_staff.post(reverse("interviewers:spot_check_clear", args=[change.pk]))

    assert f'data-change="{change.pk}"' in listed
    change.refresh_from_db()
    assert (change.reviewed_by, change.reviewed_at) == (staff, NOW)
    assert (
        f'data-change="{change.pk}"'
        not in as_staff.get(reverse("interviewers:spot_checks")).content.decode()
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("interviewers:console_list"),
        reverse("interviewers:spot_checks"),
    ],
)
def test_console_pages_are_not_found_for_an_interviewer(client, interviewer, two_factor, url):
    two_factor(interviewer)
    client.force_login(interviewer)

    assert client.get(url).status_code == 404


def test_an_interviewer_cannot_pause_anyone(client, interviewer, two_factor, live):
    two_factor(interviewer)
    client.force_login(interviewer)

    assert hold(client, live, "unlist").status_code == 404
    live.refresh_from_db()
    assert live.hold == ""
