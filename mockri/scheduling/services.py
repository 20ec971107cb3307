"""Interviewers' own changes to when they can be booked."""

import datetime

from django.db import transaction

from mockri.catalogue.models import InterviewerProfile
from mockri.lib.errors import DomainError

from .models import AvailabilityOverride, TimeOff, WeeklyAvailability


def _overlaps(windows, start: datetime.time, end: datetime.time) -> bool:
    return any(other_start < end and start < other_end for other_start, other_end in windows)


@transaction.atomic
def weekly_window_add(
    *, interviewer: InterviewerProfile, weekday: int, start: datetime.time, end: datetime.time
) -> WeeklyAvailability:
    """Add a weekly window; windows of one weekday may not overlap."""
    if start >= end:
        raise DomainError("The window must end after it starts.")
    existing = WeeklyAvailability.objects.select_for_update().filter(
        interviewer=interviewer, weekday=weekday
    )
    if _overlaps(existing.values_list("start_time", "end_time"), start, end):
        raise DomainError("That overlaps hours you already have on that day.")
    return WeeklyAvailability.objects.create(
        interviewer=interviewer, weekday=weekday, start_time=start, end_time=end
    )


def weekly_window_delete(*, interviewer: InterviewerProfile, window_id: int) -> None:
    WeeklyAvailability.objects.filter(interviewer=interviewer, pk=window_id).delete()


@transaction.atomic
def override_set(
    *,
    interviewer: InterviewerProfile,
    date: datetime.date,
    start: datetime.time | None,
    end: datetime.time | None,
) -> AvailabilityOverride:
    """Give `date` its own hours (start and end), or mark it unavailable (neither).

    A day off replaces any hours set for that date; hours replace a day off.
    """
    if (start is None) != (end is None):
        raise DomainError("Give both a start and an end time, or neither for a day off.")
    same_day = AvailabilityOverride.objects.select_for_update().filter(
        interviewer=interviewer, date=date
    )
    if start is None or end is None:
        same_day.delete()
    else:
        if start >= end:
            raise DomainError("The hours must end after they start.")
        same_day.filter(start_time__isnull=True).delete()
        if _overlaps(same_day.values_list("start_time", "end_time"), start, end):
            raise DomainError("That overlaps hours you already set for that date.")
    return AvailabilityOverride.objects.create(
        interviewer=interviewer, date=date, start_time=start, end_time=end
    )


def override_delete(*, interviewer: InterviewerProfile, override_id: int) -> None:
    AvailabilityOverride.objects.filter(interviewer=interviewer, pk=override_id).delete()


def time_off_add(
    *,
    interviewer: InterviewerProfile,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str = "",
) -> TimeOff:
    """Block a stretch of time. Sessions already booked in it stay booked: cancel them from the
    booking page if needed (the candidate is refunded in full)."""
    if starts_at >= ends_at:
        raise DomainError("Time off must end after it starts.")
    return TimeOff.objects.create(
        interviewer=interviewer, starts_at=starts_at, ends_at=ends_at, reason=reason
    )


def time_off_delete(*, interviewer: InterviewerProfile, time_off_id: int) -> None:
    TimeOff.objects.filter(interviewer=interviewer, pk=time_off_id).delete()


def scheduling_settings_update(
    *,
    interviewer: InterviewerProfile,
    min_notice_minutes: int,
    horizon_days: int,
    buffer_minutes: int,
    max_sessions_per_day: int,
) -> InterviewerProfile:
    interviewer.min_notice_minutes = min_notice_minutes
    interviewer.horizon_days = horizon_days
    interviewer.buffer_minutes = buffer_minutes
    interviewer.max_sessions_per_day = max_sessions_per_day
    interviewer.full_clean()
    interviewer.save(
        update_fields=[
            "min_notice_minutes",
            "horizon_days",
            "buffer_minutes",
            "max_sessions_per_day",
        ]
    )
    return interviewer
