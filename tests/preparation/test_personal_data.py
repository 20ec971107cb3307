"""A candidate's preparation profile is in their export and goes with their account."""

import datetime

import pytest

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
