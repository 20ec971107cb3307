"""An interviewer's public profile."""

import datetime
import uuid

from django.db import transaction

from .models import InterviewerProfile

MODELS = [InterviewerProfile]

FORMER_INTERVIEWER = "Former interviewer"


def export(*, user, archive) -> dict:
    profile = InterviewerProfile.objects.filter(user=user).first()
    if profile is None:
        return {"interviewer_profile": None}
    return {
        "interviewer_profile": {
            "display_name": profile.display_name,
            "public_address": profile.slug,
            "headline": profile.headline,
            "bio": profile.bio,
            "past_roles": profile.past_roles,
            "years_experience": profile.years_experience,
            "companies": list(profile.companies.values_list("name", flat=True)),
            "seniority": profile.seniority,
            "languages": list(profile.languages.values_list("name", flat=True)),
            "listed": profile.is_listed,
            "went_live_at": profile.went_live_at,
            "hold": profile.hold,
            "hold_reason": profile.hold_reason,
            "calcom_event_type_id": profile.calcom_event_type_id,
            "interview_types": list(profile.interview_types.values_list("name", flat=True)),
            "photo": (
                archive.add_file("files/interviewer-photo", profile.photo.name)
                if profile.photo
                else None
            ),
        }
    }


def erase(*, user, now: datetime.datetime) -> None:
    """Unlist the profile and strip everything that says who the interviewer was. The row stays:
    past sessions point to it."""
    profile = InterviewerProfile.objects.filter(user=user).first()
    if profile is None:
        return
    photo = profile.photo.name
    profile.slug = f"former-{uuid.uuid4().hex[:12]}"
    profile.display_name = FORMER_INTERVIEWER
    profile.headline = ""
    profile.bio = ""
    profile.photo = ""
    profile.photo_content_type = ""
    profile.past_roles = []
    profile.seniority = ""
    profile.is_listed = False
    profile.hold_reason = ""
    profile.calcom_event_type_id = None
    profile.save()
    profile.interview_types.clear()
    profile.companies.clear()
    profile.languages.clear()
    if photo:
        transaction.on_commit(lambda: profile.photo.storage.delete(photo))
