"""Interviewer applications (the applicant's own words, found by the address they gave), and an
interviewer's record: their changes staff spot-checked, and being paused, unlisted, resumed."""

import datetime

from .models import InterviewerApplication, ProfileChange, StatusChange

MODELS = [InterviewerApplication, ProfileChange, StatusChange]


def _applications(user):
    return InterviewerApplication.objects.filter(email__iexact=user.email)


def export(*, user, archive) -> dict:
    return {
        "interviewer_applications": [
            {
                "full_name": application.full_name,
                "email": application.email,
                "current_company": application.current_company,
                "current_role": application.current_role,
                "years_experience": application.years_experience,
                "companies_interviewed_for": application.companies_interviewed_for,
                "interview_types": [t.name for t in application.interview_types.all()],
                "languages": application.languages,
                "profile_url": application.profile_url,
                "motivation": application.motivation,
                "status": application.status,
                "decision_reason": application.decision_reason,
                "staff_notes": application.staff_notes,
                "policy_version": application.policy_version,
                "consented_at": application.consented_at,
                "submitted_at": application.created_at,
                "updated_at": application.updated_at,
                "sent_again_from_this_address": application.resubmissions,
                "decided_at": application.decided_at,
            }
            for application in _applications(user)
            .order_by("created_at")
            .prefetch_related("interview_types")
        ],
        "interviewer_profile_changes": [
            {"fields": change.fields, "summary": change.summary, "changed_at": change.changed_at}
            for change in ProfileChange.objects.filter(profile__user=user).order_by("changed_at")
        ],
        "interviewer_status_changes": [
            {"action": change.action, "reason": change.reason, "at": change.at}
            for change in StatusChange.objects.filter(profile__user=user).order_by("at")
        ],
    }


def erase(*, user, now: datetime.datetime) -> None:
    """Applications are deleted outright (with their invitations): the account, its consent
    log and its profile are the record of what was decided. The spot-check list and the record
    of holds go too: they describe a profile that no longer says who it was."""
    _applications(user).delete()
    ProfileChange.objects.filter(profile__user=user).delete()
    StatusChange.objects.filter(profile__user=user).delete()
