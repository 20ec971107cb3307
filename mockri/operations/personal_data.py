"""Operations: what staff did about a person from the console (the reasons they wrote)."""

import datetime

from django.db.models import Q

from .models import StaffAction

MODELS = [StaffAction]


def _about(user):
    # Actions on their privacy requests too: one sent from their address before they signed
    # in has no person on it.
    return StaffAction.objects.filter(
        Q(person=user) | Q(grievance__user=user) | Q(grievance__email__iexact=user.email)
    )


def export(*, user, archive) -> dict:
    return {
        "staff_actions_about_you": list(
            _about(user).order_by("at").values("at", "action", "reason")
        )
    }


def erase(*, user, now: datetime.datetime) -> None:
    """The audit rows stay (what was done, and when), their free text redacted."""
    _about(user).update(reason="")
