"""Writes of a candidate's preparation: their profile, the reminder before the real interview,
and the purge of interview dates that have passed."""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from mockri.accounts.models import User
from mockri.catalogue.models import Company
from mockri.notifications.services import email_queue

from .models import CandidateProfile, TargetRole
from .selectors import latest_feedback_of

# The reminder goes at this local hour, INTERVIEW_REMINDER_DAYS before the interview day.
REMINDER_HOUR = 9


@transaction.atomic
def candidate_profile_update(
    *,
    user: User,
    target_role: TargetRole | None,
    level: str,
    target_companies: Iterable[Company],
    interview_on: datetime.date | None,
    now: datetime.datetime,
) -> CandidateProfile:
    """Save what the candidate told us about the job they prepare for.

    Side effects: the profile row (created on first save) and its target companies. A new
    interview date is reminded afresh (the reminder is kept per date, `reminded_for`).
    """
    profile, _ = CandidateProfile.objects.get_or_create(user=user, defaults={"updated_at": now})
    profile.target_role = target_role
    profile.level = level
    profile.interview_on = interview_on
    profile.updated_at = now
    profile.save()
    profile.target_companies.set(list(target_companies))
    return profile


def reminder_moment(*, interview_on: datetime.date, zone: str) -> datetime.datetime:
    """When the reminder of an interview on that (local) date goes: REMINDER_HOUR local time,
    INTERVIEW_REMINDER_DAYS days before."""
    day = interview_on - datetime.timedelta(days=settings.INTERVIEW_REMINDER_DAYS)
    return datetime.datetime.combine(
        day, datetime.time(REMINDER_HOUR), tzinfo=zoneinfo.ZoneInfo(zone)
    )


def interview_reminders_send(*, now: datetime.datetime) -> int:
    """Remind each candidate whose reminder moment has come of their real interview, with their
    latest scorecard's "work on next". Returns how many were queued.

    Side effects: an "interview_reminder" outbox row and its send task per candidate and date
    (once: `reminded_for` and the dedupe key), committed with `reminded_for`. A date already
    here sends nothing (the reminder would come too late to help).
    """
    # Local dates differ from UTC ones by a day at most.
    soonest = now.date() - datetime.timedelta(days=1)
    latest = now.date() + datetime.timedelta(days=settings.INTERVIEW_REMINDER_DAYS + 1)
    due = CandidateProfile.objects.filter(
        interview_on__gte=soonest, interview_on__lte=latest, user__is_active=True
    ).select_related("user", "target_role")
    sent = 0
    for profile in due:
        interview_on = profile.interview_on
        if interview_on is None or profile.reminded_for == interview_on:
            continue
        zone = profile.user.timezone
        if interview_on <= now.astimezone(zoneinfo.ZoneInfo(zone)).date():
            continue
        if now < reminder_moment(interview_on=interview_on, zone=zone):
            continue
        sent += _interview_reminder(profile=profile, interview_on=interview_on)
    return sent


@transaction.atomic
def _interview_reminder(*, profile: CandidateProfile, interview_on: datetime.date) -> bool:
    """Claim the profile's reminder for its date, then queue it: a second worker claims none."""
    claimed = (
        CandidateProfile.objects.filter(pk=profile.pk, interview_on=interview_on)
        .exclude(reminded_for=interview_on)
        .update(reminded_for=interview_on)
    )
    if not claimed:
        return False
    feedback = latest_feedback_of(user=profile.user)
    email = email_queue(
        "interview_reminder",
        recipient=profile.user,
        booking=None,
        dedupe_key=f"interview_reminder:{profile.user.pk}:{interview_on.isoformat()}",
        context={
            "interview_on": interview_on,
            "role": profile.target_role,
            "feedback": feedback,
            "plan_url": reverse("preparation:plan"),
        },
    )
    return email is not None


def interview_dates_purge(*, now: datetime.datetime) -> int:
    """Forget interview dates INTERVIEW_DATE_GRACE_DAYS after they passed; how many went.

    Side effects: those profiles' `interview_on` and `reminded_for` emptied (the rest of the
    profile stays: the candidate may prepare for another interview).
    """
    until = now.date() - datetime.timedelta(days=settings.INTERVIEW_DATE_GRACE_DAYS)
    return CandidateProfile.objects.filter(interview_on__lt=until).update(
        interview_on=None, reminded_for=None
    )
