import pytest

from mockri.interviewers.services import ApplicationDetails, application_submit
from tests.factories import InterviewTypeFactory
from tests.fixtures import NOW


@pytest.fixture
def system_design(db):
    return InterviewTypeFactory(name="System Design", slug="system-design")


@pytest.fixture
def coding(db):
    return InterviewTypeFactory(name="Coding", slug="coding")


def details(**overrides) -> ApplicationDetails:
    values = {
        "full_name": "Meera Krishnan",
        "email": "meera@example.com",
        "current_company": "Swiggy",
        "current_role": "Senior Software Engineer",
        "years_experience": 7,
        "companies_interviewed_for": ["Swiggy", "Amazon"],
        "interview_types": [],
        "languages": ["English", "Tamil"],
        "profile_url": "https://www.linkedin.com/in/meera",
        "motivation": "I have run 150 backend interviews.",
        **overrides,
    }
    return ApplicationDetails(**values)


@pytest.fixture
def apply_as(now):
    """File an application through the service; returns it."""

    def submit(**overrides):
        return application_submit(details=details(**overrides), ip_address="203.0.113.9", now=NOW)

    return submit


@pytest.fixture
def pending(apply_as, system_design):
    return apply_as(interview_types=[system_design])
