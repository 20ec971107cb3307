"""A candidate's preparation profile is in their export and goes with their account."""

import datetime

import pytest
from django.urls import reverse

from mockri.preparation.models import CandidateProfile
from mockri.preparation.personal_data import erase, export
from mockri.privacy.registry import ExportArchive
from tests.factories import CompanyFactory
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


def test_the_export_holds_everything_the_candidate_told_us(candidate, prepare):
    prepare(candidate, level="staff", target_companies=[CompanyFactory(name="Google")])

    assert export(user=candidate, archive=ExportArchive()) == {
        "target_role": "Software engineer",
        "level": "Staff / principal",
        "target_companies": ["Google"],
        "interview_on": datetime.date(2026, 12, 20),
        "reminded_for": None,
        "updated_at": NOW,
    }


def test_someone_who_told_us_nothing_exports_nothing(candidate):
    assert export(user=candidate, archive=ExportArchive()) == {}


def test_erasure_deletes_the_profile_and_no_one_elses(candidate, other_candidate, prepare):
    prepare(candidate)
    prepare(other_candidate)

    erase(user=candidate, now=NOW)

    assert list(CandidateProfile.objects.values_list("user", flat=True)) == [other_candidate.pk]


def test_your_data_lists_the_preparation_profile(client, candidate, prepare):
    prepare(candidate)
    client.force_login(candidate)

    page = client.get(reverse("privacy:my_data")).content.decode()

    assert "Your target role (Software engineer), target companies and the date of your " in page
    assert "interview (20 December 2026)" in page
    assert "The date is deleted 14 days after it has passed." in page
