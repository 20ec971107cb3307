import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from mockri.accounts.models import User
from mockri.bookings.models import OpenStart
from mockri.bookings.open_starts import open_starts_ready
from mockri.catalogue.demo import DEMO_PASSWORD
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.earnings.models import EarningEntry, PayoutDetails

pytestmark = pytest.mark.django_db

DEMO_APPS = ["accounts", "catalogue", "scheduling"]


def snapshot() -> str:
    models = [model for label in DEMO_APPS for model in apps.get_app_config(label).get_models()]
    rows = [row for model in models for row in model.objects.order_by("pk")]
    return serializers.serialize("json", rows)


def test_seed_demo_creates_the_catalogue_people_and_logins(capsys):
    call_command("seed_demo")
    printed = capsys.readouterr().out

    assert list(InterviewType.objects.values_list("name", "price_paise", "duration_minutes")) == [
        ("Coding / DSA", 149_900, 60),
        ("System Design", 199_900, 60),
        ("Behavioral", 99_900, 45),
        ("Product Management", 179_900, 60),
        ("Career chat", 0, 20),
    ]
    interviewers = InterviewerProfile.objects.filter(is_listed=True).select_related("user")
    assert interviewers.count() == 6
    assert all(profile.went_live_at for profile in interviewers)
    assert {profile.user.timezone for profile in interviewers} == {
        "Asia/Kolkata",
        "Europe/London",
        "America/New_York",
    }
    assert all(profile.weekly_availability.exists() for profile in interviewers)
    assert all(profile.interview_types.exists() for profile in interviewers)
    staff = User.objects.get(email="staff@mockri.test")
    assert staff.is_staff
    assert staff.check_password(DEMO_PASSWORD)
    invited = InterviewerProfile.objects.get(user__email="kiran.invited@mockri.test")
    assert (invited.is_listed, invited.went_live_at, invited.bio) == (False, None, "")
    for email in [
        "candidate@mockri.test",
        "staff@mockri.test",
        "sarah@mockri.test",
        "kiran.invited@mockri.test",
    ]:
        assert email in printed
    assert DEMO_PASSWORD in printed


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=None)
    first = snapshot()

    call_command("seed_demo", stdout=None)

    assert snapshot() == first


def test_seed_demo_repairs_edited_demo_data():
    call_command("seed_demo", stdout=None)
    InterviewType.objects.filter(slug="career-chat").update(price_paise=50_000)
    InterviewerProfile.objects.get(slug="sarah").weekly_availability.all().delete()

    call_command("seed_demo", stdout=None)

    assert InterviewType.objects.get(slug="career-chat").price_paise == 0
    assert InterviewerProfile.objects.get(slug="sarah").weekly_availability.count() == 4


def test_seed_demo_gives_the_demo_interviewers_a_month_of_earnings_once(client):
    call_command("seed_demo", stdout=None)
    entries = EarningEntry.objects.count()

    call_command("seed_demo", stdout=None)

    assert entries == EarningEntry.objects.count() == 6 * 5
    assert PayoutDetails.objects.count() == 6
    # The demo candidate's own sessions are other demos'; these belong to a past candidate.
    assert {
        e.booking.candidate.email for e in EarningEntry.objects.select_related("booking__candidate")
    } == {"past.candidate@mockri.test"}
    # Their four sessions given, none missed: the directory shows them reliable.
    assert "data-reliable" in client.get("/interviewers/").content.decode()


def test_seed_demo_builds_the_table_of_open_starts(now):
    call_command("seed_demo", stdout=None)

    assert open_starts_ready(now=now)
    listed = InterviewerProfile.objects.filter(is_listed=True)
    assert set(OpenStart.objects.values_list("interviewer_id", flat=True).distinct()) == set(
        listed.values_list("pk", flat=True)
    )
