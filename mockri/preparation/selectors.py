"""Reads of a candidate's own preparation: their profile and the plan computed from it."""

import dataclasses
import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.selectors import availabilities_for, holds_its_time
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.feedback.models import Feedback
from mockri.scheduling.slots import open_slots

from .models import CandidateProfile, TargetRole
from .planning import (
    LAST_SESSION_GAP,
    Opening,
    Plan,
    Session,
    StepInput,
    StepStatus,
    plan_deadline,
    plan_propose,
)

# Sessions of a type taken this long before the interview count as that part of the plan done.
PLAN_LOOKBACK = datetime.timedelta(weeks=6)
# Interviewers considered for each type: the best matches, then the most experienced. Enough to
# find good times, few enough that the slot engine runs fast on a catalogue of thousands.
INTERVIEWERS_PER_TYPE = 20


def candidate_profile_of(*, user) -> CandidateProfile | None:
    """The user's own profile with its role's active types and target companies, or None."""
    return (
        CandidateProfile.objects.select_related("target_role")
        .prefetch_related(
            "target_companies",
            Prefetch(
                "target_role__interview_types",
                queryset=InterviewType.objects.filter(is_active=True),
            ),
        )
        .filter(user=user)
        .first()
    )


def target_roles_listed():
    return TargetRole.objects.all()


@dataclasses.dataclass
class ShownStep:
    """One line of the plan as the page shows it."""

    interview_type: InterviewType
    status: StepStatus
    booking: Booking | None = None
    interviewer: InterviewerProfile | None = None
    starts_at: datetime.datetime | None = None
    opens_at: datetime.datetime | None = None
    reasons: list[str] = dataclasses.field(default_factory=list)

    @property
    def book_href(self) -> str:
        """The booking flow's details step on this interviewer and time, as the slot picker
        links it."""
        if self.interviewer is None or self.starts_at is None:
            return ""
        query = urlencode(
            {"start": self.starts_at.isoformat(), "interviewer": self.interviewer.slug}
        )
        return f"{reverse('bookings:new', kwargs={'slug': self.interview_type.slug})}?{query}"


@dataclasses.dataclass
class ShownPlan:
    plan: Plan
    steps: list[ShownStep]


def match_reasons(interviewer: InterviewerProfile, *, companies: set[int], level: str) -> list[str]:
    """Why this interviewer suits the candidate: a target company they worked at, their level."""
    reasons = [
        f"Worked at {company.name}"
        for company in interviewer.companies.all()
        if company.pk in companies
    ]
    if level and interviewer.seniority == level:
        reasons.append(f"{interviewer.get_seniority_display()} level")
    return reasons


def _match_score(interviewer: InterviewerProfile, *, companies: set[int], level: str) -> int:
    """A target company counts twice a matching level: the company is what candidates name."""
    shared = sum(company.pk in companies for company in interviewer.companies.all())
    return 2 * shared + (bool(level) and interviewer.seniority == level)


def preparation_plan(
    *, user, profile: CandidateProfile, now: datetime.datetime
) -> ShownPlan | None:
    """The plan for the profile's interview date and role, or None without both.

    A fixed number of queries: the candidate's sessions, the interviewers offering the role's
    types with their companies, and the availability rows of all of them at once.
    """
    if profile.interview_on is None or profile.target_role is None:
        return None
    types = list(profile.target_role.interview_types.all())
    zone = user.timezone
    deadline = plan_deadline(interview_on=profile.interview_on, zone=zone)
    interview_begins = deadline + LAST_SESSION_GAP  # midnight starting the interview day
    sessions = list(
        Booking.objects.filter(
            Q(holds_its_time(now=now)) | Q(status=BookingStatus.COMPLETED),
            candidate=user,
            starts_at__lt=interview_begins,
            ends_at__gt=min(now, interview_begins - PLAN_LOOKBACK),
        )
        .select_related("interviewer")
        .order_by("starts_at")
    )
    type_ids = {t.pk for t in types}
    booked: dict[int, Booking] = {}
    for booking in sessions:
        if booking.interview_type_id in type_ids and (
            booking.starts_at >= interview_begins - PLAN_LOOKBACK
        ):
            booked[booking.interview_type_id] = booking  # the latest of the type
    in_plan = {booking.pk for booking in booked.values()}
    busy = [(b.starts_at, b.ends_at) for b in sessions if b.pk not in in_plan]

    companies = {company.pk for company in profile.target_companies.all()}
    offering = _interviewers_offering(
        types=[t for t in types if t.pk not in booked], companies=companies, level=profile.level
    )
    everyone = {p.pk: p for profiles in offering.values() for p in profiles}
    availability = {
        a.interviewer_id: a
        for a in (
            availabilities_for(interviewers=list(everyone.values()), now=now, until=deadline)
            if deadline > now
            else []
        )
    }
    steps = []
    for interview_type in types:
        done = booked.get(interview_type.pk)
        if done is not None:
            steps.append(
                StepInput(
                    interview_type.pk, (), booked=Session(done.pk, done.starts_at, done.ends_at)
                )
            )
            continue
        duration = datetime.timedelta(minutes=interview_type.duration_minutes)
        profiles = offering.get(interview_type.pk, [])
        openings = tuple(
            Opening(slot.start, slot.end, profile_.pk)
            for profile_ in profiles
            if profile_.pk in availability
            for slot in open_slots(
                availability[profile_.pk], duration=duration, now=now, until=deadline
            )
        )
        horizon = max((p.horizon_days for p in profiles), default=None)
        steps.append(
            StepInput(
                interview_type.pk,
                tuple(sorted(openings)),
                bookable_until=now + datetime.timedelta(days=horizon) if horizon else None,
            )
        )
    plan = plan_propose(
        interview_on=profile.interview_on,
        zone=zone,
        now=now,
        steps=steps,
        match={
            pk: _match_score(p, companies=companies, level=profile.level)
            for pk, p in everyone.items()
        },
        busy=busy,
    )
    by_pk = {t.pk: t for t in types}
    shown = []
    for step in plan.steps:
        line = ShownStep(by_pk[step.type_id], step.status, opens_at=step.opens_at)
        if step.booked is not None:
            line.booking = booked[step.type_id]
            line.interviewer = line.booking.interviewer
            line.starts_at = line.booking.starts_at
        elif step.opening is not None:
            line.interviewer = everyone[step.opening.interviewer_id]
            line.starts_at = step.opening.start
            line.reasons = match_reasons(line.interviewer, companies=companies, level=profile.level)
        shown.append(line)
    return ShownPlan(plan, shown)


def _interviewers_offering(
    *, types: list[InterviewType], companies: set[int], level: str
) -> dict[int, list[InterviewerProfile]]:
    """Type id → the listed interviewers offering it who are considered (INTERVIEWERS_PER_TYPE,
    best matches first), in two queries."""
    through = InterviewType.interviewers.through
    rows = (
        through.objects.filter(
            interviewtype_id__in=[t.pk for t in types],
            interviewerprofile__is_listed=True,
            interviewerprofile__user__is_active=True,
        )
        .select_related("interviewerprofile__user")
        .order_by("interviewerprofile_id")
    )
    pairs = [(row.interviewtype_id, row.interviewerprofile) for row in rows]
    profiles = {profile.pk: profile for _, profile in pairs}
    prefetch_related_objects(list(profiles.values()), "companies")
    offering: dict[int, list[InterviewerProfile]] = defaultdict(list)
    for type_id, profile in pairs:
        offering[type_id].append(profiles[profile.pk])  # one instance per interviewer
    return {
        type_id: sorted(
            found,
            key=lambda p: (
                -_match_score(p, companies=companies, level=level),
                -p.sessions_given,
                p.pk,
            ),
        )[:INTERVIEWERS_PER_TYPE]
        for type_id, found in offering.items()
    }


def latest_feedback_of(*, user) -> Feedback | None:
    """The candidate's most recent scorecard, for its "work on next"."""
    return (
        Feedback.objects.filter(booking__candidate=user)
        .select_related("booking__interview_type", "booking__interviewer")
        .order_by("-submitted_at")
        .first()
    )
