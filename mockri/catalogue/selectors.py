from django.db.models import Prefetch, QuerySet

from .models import Company, InterviewerProfile, InterviewType, company_key


def interview_types_listed() -> QuerySet[InterviewType]:
    return InterviewType.objects.filter(is_active=True)


def interviewers_listed() -> QuerySet[InterviewerProfile]:
    """Shown to candidates and bookable: listed, not held by staff, with an active account."""
    return InterviewerProfile.objects.filter(is_listed=True, hold="", user__is_active=True)


def interviewers_for_cards() -> QuerySet[InterviewerProfile]:
    """Listed interviewers with what their cards show besides the profile row: two queries per
    list, however long."""
    return interviewers_listed().prefetch_related("companies", "languages")


def interviewer_with_types(*, slug: str) -> QuerySet[InterviewerProfile]:
    """A listed interviewer's profile with the active interview types they offer."""
    return (
        interviewers_for_cards()
        .filter(slug=slug)
        .prefetch_related(Prefetch("interview_types", queryset=interview_types_listed()))
    )


def company_find(*, name: str) -> Company | None:
    """The company whose name, slug or one of whose aliases is `name`, case and spacing aside.
    Reads the whole (small, curated) table."""
    key = company_key(name)
    return next((company for company in Company.objects.all() if key in company.keys), None)
