"""What a candidate told us about the job they prepare for."""

import datetime

from .models import CandidateProfile

MODELS = [CandidateProfile]


def export(*, user, archive) -> dict:
    profile = (
        CandidateProfile.objects.select_related("target_role")
        .prefetch_related("target_companies")
        .filter(user=user)
        .first()
    )
    if profile is None:
        return {}
    return {
        "target_role": profile.target_role.name if profile.target_role else "",
        "level": profile.get_level_display() if profile.level else "",
        "target_companies": [company.name for company in profile.target_companies.all()],
        "interview_on": profile.interview_on,
        "reminded_for": profile.reminded_for,
        "updated_at": profile.updated_at,
    }


def erase(*, user, now: datetime.datetime) -> None:
    CandidateProfile.objects.filter(user=user).delete()
