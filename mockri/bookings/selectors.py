"""Reads of bookings, always scoped to who may see them, and of the availability the slot
engine works on (which depends on the bookings already made)."""

import datetime
from collections import defaultdict

from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from mockri.catalogue.models import InterviewerProfile
from mockri.lib.errors import SlotUnavailable, TwoFactorRequired
from mockri.scheduling.models import AvailabilityOverride, TimeOff, WeeklyAvailability
from mockri.scheduling.slots import (
    DateOverride,
    Interval,
    InterviewerAvailability,
    SchedulingRules,
    WeeklyWindow,
    slot_is_open,
)

from .enums import ACTIVE_STATUSES, Actor, BookingStatus
from .models import Booking


def scheduling_rules(profile: InterviewerProfile) -> SchedulingRules:
    return SchedulingRules(
        min_notice=datetime.timedelta(minutes=profile.min_notice_minutes),
        horizon=datetime.timedelta(days=profile.horizon_days),
        buffer=datetime.timedelta(minutes=profile.buffer_minutes),
        max_per_day=profile.max_sessions_per_day,
    )


def availabilities_for(
    *,
    interviewers: list[InterviewerProfile],
    now: datetime.datetime,
    exclude_booking_id: int | None = None,
    around: datetime.datetime | None = None,
) -> list[InterviewerAvailability]:
    """The availability of each interviewer (whose `user` must be loaded) from `now` on, in a
    fixed number of queries for any number of interviewers: one per kind of row.

    `exclude_booking_id` leaves one booking out of the busy times: the one being rescheduled.
    `around` loads only the two days either side of one moment: enough to check one slot
    (`slot_is_open` looks no further), and far less to read than a whole horizon.
    """
    ids = [profile.pk for profile in interviewers]
    if not ids:
        return []
    # Busy times start a day early: a booking ending just after `now` still needs its buffer.
    since = now - datetime.timedelta(days=1)
    latest = now + datetime.timedelta(days=max(p.horizon_days for p in interviewers) + 1)
    if around is not None:
        since = max(since, around - datetime.timedelta(days=2))
        latest = min(latest, around + datetime.timedelta(days=2))

    # Plain tuples, not model instances: this runs on every slot page and booking.
    weekly = defaultdict(list)
    for interviewer_id, weekday, start, end in WeeklyAvailability.objects.filter(
        interviewer_id__in=ids
    ).values_list("interviewer_id", "weekday", "start_time", "end_time"):
        weekly[interviewer_id].append(WeeklyWindow(weekday, start, end))

    override_rows = defaultdict(lambda: defaultdict(list))
    for interviewer_id, date, start, end in AvailabilityOverride.objects.filter(
        interviewer_id__in=ids, date__gte=since.date(), date__lte=latest.date()
    ).values_list("interviewer_id", "date", "start_time", "end_time"):
        windows = override_rows[interviewer_id][date]
        if start is not None:
            windows.append((start, end))

    time_off = defaultdict(list)
    for interviewer_id, starts_at, ends_at in TimeOff.objects.filter(
        interviewer_id__in=ids, ends_at__gt=since, starts_at__lt=latest
    ).values_list("interviewer_id", "starts_at", "ends_at"):
        time_off[interviewer_id].append(Interval(starts_at, ends_at))

    # The session itself: the slot engine adds the interviewer's buffer on both sides.
    busy = defaultdict(list)
    bookings = Booking.objects.filter(
        interviewer_id__in=ids,
        status__in=ACTIVE_STATUSES,
        busy_until__gt=since,
        starts_at__lt=latest,
    ).exclude(pk=exclude_booking_id)
    for interviewer_id, starts_at, ends_at in bookings.values_list(
        "interviewer_id", "starts_at", "ends_at"
    ):
        busy[interviewer_id].append(Interval(starts_at, ends_at))

    return [
        InterviewerAvailability(
            interviewer_id=profile.pk,
            timezone=profile.user.timezone,
            weekly=tuple(weekly[profile.pk]),
            overrides=tuple(
                DateOverride(date, tuple(windows))
                for date, windows in override_rows[profile.pk].items()
            ),
            time_off=tuple(time_off[profile.pk]),
            busy=tuple(busy[profile.pk]),
            rules=scheduling_rules(profile),
        )
        for profile in interviewers
    ]


def booking_role(*, user, booking: Booking) -> Actor | None:
    """How `user` relates to `booking`: its candidate, its interviewer, staff, or nobody."""
    if not user.is_authenticated:
        return None
    if booking.candidate_id == user.pk:
        return Actor.CANDIDATE
    if booking.interviewer.user_id == user.pk:
        return Actor.INTERVIEWER
    if user.is_staff:
        return Actor.STAFF
    return None


def booking_get_for_user(*, user, reference: str) -> tuple[Booking, Actor]:
    """The booking and the user's role in it; 404 for anyone else, as if it did not exist."""
    booking = (
        Booking.objects.select_related("interviewer__user", "interview_type", "candidate")
        .filter(reference=reference)
        .first()
    )
    role = booking_role(user=user, booking=booking) if booking else None
    if role is None:
        raise Http404("No such booking.")
    if role in (Actor.INTERVIEWER, Actor.STAFF) and not is_mfa_enabled(user):
        raise TwoFactorRequired("Set up two-factor authentication to open candidates' sessions.")
    return booking, role


def bookings_of_candidate(*, user) -> QuerySet[Booking]:
    return Booking.objects.filter(candidate=user).select_related("interviewer", "interview_type")


def bookings_of_interviewer(*, user) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(interviewer__user=user)
        .select_related("candidate", "interview_type")
        .prefetch_related("files")
    )


def interviewers_offering(*, interview_type) -> list[InterviewerProfile]:
    return list(
        InterviewerProfile.objects.filter(
            interview_types=interview_type, is_listed=True, user__is_active=True
        ).select_related("user")
    )


FAIRNESS_WINDOW = datetime.timedelta(days=30)
# Interviewers whose availability is read at once when looking for a free one. Most slots on
# offer have the least busy interviewer free, so reading everyone's would be mostly waste.
_BATCH = 4


def interviewers_offering_by_load(*, interview_type, now) -> list[InterviewerProfile]:
    """Who offers the type, least busy first: fewest sessions in the 30 days either side of
    now, then the lowest id (a stable tie-break). One query."""
    load = Count(
        "bookings",
        filter=Q(
            bookings__starts_at__gte=now - FAIRNESS_WINDOW,
            bookings__starts_at__lt=now + FAIRNESS_WINDOW,
        )
        & ~Q(bookings__status__in=[BookingStatus.EXPIRED, BookingStatus.CANCELLED]),
    )
    return list(
        InterviewerProfile.objects.filter(
            interview_types=interview_type, is_listed=True, user__is_active=True
        )
        .select_related("user")
        .annotate(load=load)
        .order_by("load", "pk")
    )


def least_busy_free_interviewer(
    *, interview_type, interviewer: InterviewerProfile | None, starts_at, now
) -> InterviewerProfile | None:
    """Who takes the session at `starts_at`: the chosen interviewer if they are free then, else
    (for "any available") the least busy interviewer offering the type who is free then.

    Raises SlotUnavailable when a chosen interviewer does not offer the type at all.
    """
    if interviewer is not None:
        offering = [
            p for p in interviewers_offering(interview_type=interview_type) if p == interviewer
        ]
        if not offering:
            raise SlotUnavailable(
                f"{interviewer.display_name} doesn't take {interview_type.name} sessions."
            )
    else:
        offering = interviewers_offering_by_load(interview_type=interview_type, now=now)
    duration = datetime.timedelta(minutes=interview_type.duration_minutes)
    for first in range(0, len(offering), _BATCH):
        batch = offering[first : first + _BATCH]
        free = {
            availability.interviewer_id
            for availability in availabilities_for(interviewers=batch, now=now, around=starts_at)
            if slot_is_open(availability, start=starts_at, duration=duration, now=now)
        }
        # The first free one in load order.
        for profile in batch:
            if profile.pk in free:
                return profile
    return None
