import datetime

import pytest

from mockri.preparation.models import TargetRole
from mockri.preparation.services import candidate_profile_update
from tests.factories import InterviewTypeFactory
from tests.fixtures import NOW


@pytest.fixture
def rounds(profile):
    """A software engineer's three rounds, each offered by `profile` (open 9:00-18:00 daily)."""
    return [
        InterviewTypeFactory(name=name, slug=slug, position=position, interviewers=[profile])
        for position, (name, slug) in enumerate(
            [("Coding", "coding"), ("System Design", "system-design"), ("Behavioral", "behavioral")]
        )
    ]


@pytest.fixture
def role(rounds):
    role = TargetRole.objects.create(name="Software engineer", slug="software-engineer")
    role.interview_types.set(rounds)
    return role


@pytest.fixture
def prepare(role):
    """Save a candidate's preparation profile through the service."""

    def save(user, *, interview_on=datetime.date(2026, 12, 20), **fields):
        return candidate_profile_update(
            user=user,
            target_role=fields.pop("target_role", role),
            level=fields.pop("level", ""),
            target_companies=fields.pop("target_companies", []),
            interview_on=interview_on,
            now=NOW,
        )

    return save
