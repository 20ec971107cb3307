"""Reads of bookings, always scoped to who may see them, and of the availability the slot
engine works on (which depends on the bookings already made)."""

import copy
import dataclasses
import datetime
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from allauth.mfa.utils import is_mfa_enabled
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from mockri.catalogue.models import InterviewerProfile, InterviewType
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

from .availability_cache import rules_version
from .enums import LOAD_STATUSES, Actor, BookingStatus
from .models import Booking


def holds_its_time(*, now: datetime.datetime) -> Q:
    """Bookings that take their interviewer's and candidate's time: confirmed ones, and unpaid
    holds that have not run out. A hold past its time frees the slot at once, whether or not the
    worker has expired it yet."""
    return Q(status=BookingStatus.CONFIRMED) | Q(
        status=BookingStatus.PENDING_PAYMENT, hold_expires_at__gt=now
    )


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
    until: datetime.datetime | None = None,
) -> list[InterviewerAvailability]:
    """The availability of each interviewer (whose `user` must be loaded) from `now` on, in a
    fixed number of queries for any number of interviewers: one per kind of row.

    `exclude_booking_id` leaves one booking out of the busy times: the one being rescheduled.
    `around` loads only the two days either side of one moment: enough to check one slot
    (`slot_is_open` looks no further), and far less to read than a whole horizon. `until` loads
    nothing after it: enough to find the first free slots before it.
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
    if until is not None:
        latest = min(latest, until)
    rules = _rules_of(ids, since=since, latest=latest)
    busy = _busy_of(ids, since=since, latest=latest, now=now, exclude_booking_id=exclude_booking_id)
    return [_availability(profile, rules, busy=busy[profile.pk]) for profile in interviewers]


@dataclasses.dataclass
class _Rules:
    """Rows of the interviewers' own rules, by interviewer id."""

    weekly: defaultdict
    overrides: defaultdict
    time_off: defaultdict


def _rules_of(ids, *, since, latest=None) -> _Rules:
    """Weekly hours, and the date overrides and time off between `since` and `latest`.

    Plain tuples, not model instances: this runs on every slot page and booking. No ORDER BY:
    the engine sorts what it needs, and the models' default orderings join the profile table.
    """
    rules = _Rules(defaultdict(list), defaultdict(lambda: defaultdict(list)), defaultdict(list))
    for interviewer_id, weekday, start, end in (
        WeeklyAvailability.objects.filter(interviewer_id__in=ids)
        .order_by()
        .values_list("interviewer_id", "weekday", "start_time", "end_time")
    ):
        rules.weekly[interviewer_id].append(WeeklyWindow(weekday, start, end))

    overrides = AvailabilityOverride.objects.filter(interviewer_id__in=ids, date__gte=since.date())
    time_off = TimeOff.objects.filter(interviewer_id__in=ids, ends_at__gt=since)
    if latest is not None:
        overrides = overrides.filter(date__lte=latest.date())
        time_off = time_off.filter(starts_at__lt=latest)
    for interviewer_id, date, hours_start, hours_end in overrides.order_by().values_list(
        "interviewer_id", "date", "start_time", "end_time"
    ):
        windows = rules.overrides[interviewer_id][date]
        if hours_start is not None:  # else a day off: no hours
            windows.append((hours_start, hours_end))
    for interviewer_id, starts_at, ends_at in time_off.order_by().values_list(
        "interviewer_id", "starts_at", "ends_at"
    ):
        rules.time_off[interviewer_id].append(Interval(starts_at, ends_at))
    return rules


def _busy_of(ids, *, since, latest, now, exclude_booking_id=None) -> defaultdict:
    """The bookings of each interviewer between `since` and `latest` that hold their time at
    `now`: the sessions themselves, since the slot engine adds the interviewer's buffer on both
    sides."""
    bookings = Booking.objects.filter(
        holds_its_time(now=now),
        interviewer_id__in=ids,
        busy_until__gt=since,
        starts_at__lt=latest,
    ).order_by()
    if exclude_booking_id is not None:
        bookings = bookings.exclude(pk=exclude_booking_id)
    busy = defaultdict(list)
    for interviewer_id, starts_at, ends_at in bookings.values_list(
        "interviewer_id", "starts_at", "ends_at"
    ):
        busy[interviewer_id].append(Interval(starts_at, ends_at))
    return busy


def _availability(profile, rules: _Rules, *, busy) -> InterviewerAvailability:
    return InterviewerAvailability(
        interviewer_id=profile.pk,
        timezone=profile.user.timezone,
        weekly=tuple(rules.weekly[profile.pk]),
        overrides=tuple(
            DateOverride(date, tuple(windows))
            for date, windows in rules.overrides[profile.pk].items()
        ),
        time_off=tuple(rules.time_off[profile.pk]),
        busy=tuple(busy),
        rules=scheduling_rules(profile),
    )


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
    if booking is None or role is None:
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


def _offering(*, interview_type) -> QuerySet[InterviewerProfile]:
    return InterviewerProfile.objects.filter(
        interview_types=interview_type, is_listed=True, hold="", user__is_active=True
    )


def interviewers_offering(*, interview_type) -> list[InterviewerProfile]:
    return list(_offering(interview_type=interview_type).select_related("user"))


@dataclasses.dataclass(frozen=True)
class PickerChoices:
    """Whom the slot picker names: the `shown` beside "any available" (the most sessions given
    first, and the chosen one wherever they rank), how many offer the type in all, and the
    chosen one (None: any). Read in three small queries, not every offering interviewer: only
    the slot engine, before the table of open starts is ready, needs them all."""

    interview_type: InterviewType
    shown: list[InterviewerProfile]
    count: int
    chosen: InterviewerProfile | None

    def everyone(self) -> list[InterviewerProfile]:
        return interviewers_offering(interview_type=self.interview_type)


def picker_choices(*, interview_type, wanted_slug: str | None, shown: int) -> PickerChoices:
    """The picker's choices for the type, with the interviewer of `wanted_slug` chosen if they
    offer it (else nobody is: the caller tells "any" from a wrong slug)."""
    offering = _offering(interview_type=interview_type).select_related("user")
    named = list(offering.order_by("-sessions_given", "display_name", "pk")[:shown])
    chosen = None
    if wanted_slug:
        chosen = next((p for p in named if p.slug == wanted_slug), None) or (
            offering.filter(slug=wanted_slug).first()
        )
        if chosen is not None and chosen not in named:
            named.append(chosen)
    return PickerChoices(interview_type, named, offering.count(), chosen)


FAIRNESS_WINDOW = datetime.timedelta(days=30)
# Interviewers whose bookings are read at once when looking for a free one. Most slots on offer
# have the least busy interviewer free, so reading everyone's would be mostly waste.
_BATCH = 4
# What the slot engine needs of a profile: its scheduling rules and time zone.
_SCHEDULING_FIELDS = (
    "min_notice_minutes",
    "horizon_days",
    "buffer_minutes",
    "max_sessions_per_day",
    "user__timezone",
)


@dataclasses.dataclass(frozen=True)
class _Offered:
    profile: InterviewerProfile  # the scheduling fields and the user's zone; shared, never changed
    availability: InterviewerAvailability  # the rules, without bookings
    types: tuple[tuple[int, int], ...]  # every type they offer: (id, minutes), for open_starts


class _Kept(NamedTuple):
    rules_version: int
    date: datetime.date  # of `now` when read
    read_at: float  # time.monotonic()
    offered: tuple[_Offered, ...]  # in id order
    # The same by interviewer id, built once: a booking looks up one or a few of a thousand.
    by_id: dict[int, _Offered]


# By interview type id. The threads of a process share it: two that miss at once both read.
_offered_kept: dict[int, _Kept] = {}
_KEPT_AT_MOST_SECONDS = 60


def _offered_with_rules(*, interview_type, now) -> _Kept:
    """Who offers the type, with their rules but none of their bookings (in id order, and by
    id).

    Every booking needs them, and they change rarely, so each process keeps them and reads them
    again only when any interviewer's rules changed (rules_version: it moves in the transaction
    that changes them), when the date moves on, or a minute later at most (a write that bypasses
    the model signals, such as a queryset update(), does not move the version).
    """
    version = rules_version()
    kept = _offered_kept.get(interview_type.pk)
    if (
        kept is not None
        and (kept.rules_version, kept.date) == (version, now.date())
        and time.monotonic() - kept.read_at < _KEPT_AT_MOST_SECONDS
    ):
        return kept
    read_at = time.monotonic()
    profiles = list(
        _offering(interview_type=interview_type)
        .select_related("user")
        .only(*_SCHEDULING_FIELDS)
        .order_by("pk")
    )
    # All coming overrides and time off: the list serves any `now` of this date.
    ids = [p.pk for p in profiles]
    rules = _rules_of(ids, since=now - datetime.timedelta(days=2))
    types: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    for interviewer_id, type_id, minutes in InterviewType.interviewers.through.objects.filter(
        interviewerprofile_id__in=ids
    ).values_list("interviewerprofile_id", "interviewtype_id", "interviewtype__duration_minutes"):
        types[interviewer_id].append((type_id, minutes))
    offered = tuple(
        _Offered(p, _availability(p, rules, busy=()), tuple(types[p.pk])) for p in profiles
    )
    kept = _Kept(
        version, now.date(), read_at, offered, {entry.profile.pk: entry for entry in offered}
    )
    _offered_kept[interview_type.pk] = kept
    return kept


def offered_kept(*, interview_type_id: int, interviewer_id: int) -> tuple[int, _Offered] | None:
    """The rules this process keeps for one interviewer of a type, with the rules version they
    were read under (no query): check it before trusting them in a transaction."""
    kept = _offered_kept.get(interview_type_id)
    if kept is None:
        return None
    entry = kept.by_id.get(interviewer_id)
    return None if entry is None else (kept.rules_version, entry)


def offered_rules_forget() -> None:
    """Drop the rules every process keeps (for tests: each rolls its database back, so a rules
    version can come round again with other rows)."""
    _offered_kept.clear()


def sessions_by_interviewer(*, interviewer_ids, now) -> dict[int, int]:
    """How busy each interviewer is: their sessions in the 30 days either side of now, expired
    holds and cancellations left out. One query over the bookings alone."""
    return dict(
        Booking.objects.filter(
            interviewer_id__in=interviewer_ids,
            starts_at__gte=now - FAIRNESS_WINDOW,
            starts_at__lt=now + FAIRNESS_WINDOW,
            status__in=LOAD_STATUSES,
        )
        .values_list("interviewer_id")
        .annotate(sessions=Count("*"))
        .order_by()
    )


def least_busy_free_interviewer(
    *, interview_type, interviewer: InterviewerProfile | None, starts_at, now
) -> InterviewerProfile | None:
    """Who takes the session at `starts_at`: the chosen interviewer if they are free then, else
    (for "any available") the least busy interviewer offering the type who is free then: fewest
    sessions in the 30 days either side of now, then the lowest id (a stable tie-break).

    Raises SlotUnavailable when a chosen interviewer does not offer the type at all. Reads the
    rules kept in memory (_offered_with_rules), then who is free from the table of open starts
    (one query, however many offer the type), or, before it is ready, from the bookings.
    """
    from .open_starts import open_starts_free_at, open_starts_ready  # noqa: PLC0415 — a cycle: open_starts imports this module

    kept = _offered_with_rules(interview_type=interview_type, now=now)
    offered: Sequence[_Offered] = kept.offered
    by_id = kept.by_id
    if interviewer is not None:
        entry = by_id.get(interviewer.pk)
        if entry is None:
            raise SlotUnavailable(
                f"{interviewer.display_name} doesn't take {interview_type.name} sessions."
            )
        offered, by_id = (entry,), {interviewer.pk: entry}
    free = open_starts_free_at(
        interview_type_id=interview_type.pk,
        starts_at=starts_at,
        now=now,
        counted=(now - FAIRNESS_WINDOW, now + FAIRNESS_WINDOW),
        statuses=list(LOAD_STATUSES),
        interviewer_id=interviewer.pk if interviewer is not None else None,
    )
    # No row: nobody is free, or the table does not cover `now` yet (the engine decides).
    if free or open_starts_ready(now=now):
        chosen = next((by_id[pk] for pk in free if pk in by_id), None)
    else:
        chosen = _first_free_by_the_engine(
            offered,
            interview_type=interview_type,
            by_load=interviewer is None,
            starts_at=starts_at,
            now=now,
        )
    if chosen is None:
        return None
    # A chosen interviewer: the caller's own instance. Else a copy of the kept one, which other
    # requests share (Django caches related objects on an instance).
    return interviewer or copy.copy(chosen.profile)


def _first_free_by_the_engine(
    offered: Sequence[_Offered], *, interview_type, by_load: bool, starts_at, now
) -> _Offered | None:
    if by_load:
        load = sessions_by_interviewer(
            interviewer_ids=[entry.profile.pk for entry in offered], now=now
        )
        offered = sorted(
            offered, key=lambda entry: (load.get(entry.profile.pk, 0), entry.profile.pk)
        )
    duration = datetime.timedelta(minutes=interview_type.duration_minutes)
    # The bookings near the start, as availabilities_for(around=...) reads them.
    since = max(now - datetime.timedelta(days=1), starts_at - datetime.timedelta(days=2))
    latest = starts_at + datetime.timedelta(days=2)
    for first in range(0, len(offered), _BATCH):
        batch = offered[first : first + _BATCH]
        busy = _busy_of([entry.profile.pk for entry in batch], since=since, latest=latest, now=now)
        # The first free one in load order.
        for entry in batch:
            availability = dataclasses.replace(
                entry.availability, busy=tuple(busy[entry.profile.pk])
            )
            if slot_is_open(availability, start=starts_at, duration=duration, now=now):
                return entry
    return None
