"""Operations: what staff did about a person from the console (the reasons they wrote)."""

import datetime

from .models import StaffAction

MODELS = [StaffAction]


def export(*, user, archive) -> dict:
    return {
        "staff_actions_about_you": list(
            StaffAction.objects.filter(person=user).order_by("at").values("at", "action", "reason")
        )
    }


def erase(*, user, now: datetime.datetime) -> None:
    """The audit rows stay (what was done, and when), their free text redacted."""
    StaffAction.objects.filter(person=user).update(reason="")
