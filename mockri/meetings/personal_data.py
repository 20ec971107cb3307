"""The video meetings of a person's sessions."""

import datetime

from .models import Meeting

MODELS = [Meeting]


def export(*, user, archive) -> dict:
    return {
        "meetings": list(
            Meeting.objects.filter(booking__candidate=user).values(
                "booking__reference", "provider", "url", "status", "starts_at"
            )
        )
    }


def erase(*, user, now: datetime.datetime) -> None:
    """Upcoming meetings were cancelled with their bookings (which tells the provider); past
    ones keep only the provider's id and link, which name nobody."""
