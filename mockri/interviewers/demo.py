"""Two pending applications for `seed_demo`, so the review queue has something to show."""

from django.utils import timezone

from mockri.catalogue.models import InterviewType

from .enums import ApplicationStatus
from .models import InterviewerApplication
from .services import ApplicationDetails, application_submit

DEMO_APPLICATIONS = [
    {
        "full_name": "Meera Krishnan",
        "email": "meera.applicant@example.com",
        "current_company": "Swiggy",
        "current_role": "Senior Software Engineer",
        "years_experience": 7,
        "companies_interviewed_for": ["Swiggy", "Amazon"],
        "languages": ["English", "Tamil"],
        "profile_url": "https://www.linkedin.com/in/meera-krishnan-demo",
        "motivation": "I have run over 150 backend interviews and want to help candidates "
        "practise before the real thing.",
    },
    {
        "full_name": "Daniel Okafor",
        "email": "daniel.applicant@example.com",
        "current_company": "Atlassian",
        "current_role": "Engineering Manager",
        "years_experience": 12,
        "companies_interviewed_for": ["Atlassian", "Microsoft"],
        "languages": ["English"],
        "profile_url": "https://daniel-okafor.example.com",
        "motivation": "I hire engineers every quarter and enjoy giving candid, useful feedback.",
    },
]


def applications_seed_demo() -> int:
    """File the demo applications through the service, unless already there; how many made."""
    types = list(InterviewType.objects.filter(is_active=True)[:2])
    made = 0
    for spec in DEMO_APPLICATIONS:
        if InterviewerApplication.objects.filter(
            email=spec["email"], status=ApplicationStatus.PENDING
        ).exists():
            continue
        application_submit(
            details=ApplicationDetails(**spec, interview_types=types),
            ip_address=None,
            now=timezone.now(),
        )
        made += 1
    return made
