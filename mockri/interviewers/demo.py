"""For `seed_demo`: two pending applications, so the review queue has something to show, and
one accepted applicant who followed the invitation and is half-way through onboarding."""

from django.utils import timezone

from mockri.accounts.models import User
from mockri.catalogue.demo import DEMO_PASSWORD, DEMO_STAFF
from mockri.catalogue.models import InterviewType

from .enums import ApplicationStatus
from .models import InterviewerApplication
from .services import (
    ApplicationDetails,
    application_accept,
    application_submit,
    invitation_accept,
)

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


DEMO_INVITED = {
    "full_name": "Kiran Desai",
    "email": "kiran.invited@mockri.test",
    "current_company": "Razorpay",
    "current_role": "Senior Product Manager",
    "years_experience": 9,
    "companies_interviewed_for": ["Razorpay"],
    "languages": ["English", "Gujarati"],
    "profile_url": "https://kiran-desai.example.com",
    "motivation": "I run product-sense interviews every month and want to help candidates.",
}


def invited_interviewer_seed_demo() -> tuple[str, str] | None:
    """Apply, accept and follow the invitation through the services, unless done before: an
    interviewer whose profile comes from the application, with no bio, level or hours yet.
    Returns the login to print, or None when it was already there."""
    if User.objects.filter(email=DEMO_INVITED["email"]).exists():
        return ("interviewer mid-onboarding", DEMO_INVITED["email"])
    now = timezone.now()
    product = list(InterviewType.objects.filter(is_active=True, slug="product-management"))
    application = application_submit(
        details=ApplicationDetails(**DEMO_INVITED, interview_types=product),
        ip_address=None,
        now=now,
    )
    if application is None:
        return None
    staff = User.objects.get(email=DEMO_STAFF["email"])
    invitation = application_accept(
        application=application, reason="Strong product interviewing.", staff=staff, now=now
    )
    invitation_accept(invitation=invitation, user=None, password=DEMO_PASSWORD, now=now)
    return ("interviewer mid-onboarding", DEMO_INVITED["email"])
