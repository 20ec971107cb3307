from django.db.models import Prefetch, QuerySet

from .models import InterviewerProfile, InterviewType


def interview_types_listed() -> QuerySet[InterviewType]:
    return InterviewType.objects.filter(is_active=True)


def interviewers_listed() -> QuerySet[InterviewerProfile]:
    return InterviewerProfile.objects.filter(is_listed=True, user__is_active=True)


def interviewer_with_types(*, slug: str) -> QuerySet[InterviewerProfile]:
    """A listed interviewer's profile with the active interview types they offer."""
    return (
        interviewers_listed()
        .filter(slug=slug)
        .prefetch_related(Prefetch("interview_types", queryset=interview_types_listed()))
    )
