"""An interviewer's availability: when they work and when they are away."""

import datetime

from .models import AvailabilityOverride, TimeOff, WeeklyAvailability

MODELS = [WeeklyAvailability, AvailabilityOverride, TimeOff]


def export(*, user, archive) -> dict:
    mine = {"interviewer__user": user}
    return {
        "weekly_availability": list(
            WeeklyAvailability.objects.filter(**mine).values("weekday", "start_time", "end_time")
        ),
        "date_overrides": list(
            AvailabilityOverride.objects.filter(**mine).values("date", "start_time", "end_time")
        ),
        "time_off": list(TimeOff.objects.filter(**mine).values("starts_at", "ends_at", "reason")),
    }


def erase(*, user, now: datetime.datetime) -> None:
    mine = {"interviewer__user": user}
    for model in MODELS:
        model.objects.filter(**mine).delete()
