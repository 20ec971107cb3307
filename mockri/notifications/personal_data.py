"""The emails Mockri sent to a person, or about their bookings to their interviewer."""

import datetime

from django.db.models import Q

from .models import OutboxEmail, OutboxStatus

MODELS = [OutboxEmail]

REDACTED = "[erased]"


def _about(user) -> Q:
    """Emails to the person, and about sessions they booked or interviewed (which name them)."""
    return (
        Q(recipient=user)
        | Q(to_address__iexact=user.email)
        | Q(booking__candidate=user)
        | Q(booking__interviewer__user=user)
    )


def export(*, user, archive) -> dict:
    return {
        "emails_sent_to_you": list(
            OutboxEmail.objects.filter(Q(recipient=user) | Q(to_address__iexact=user.email))
            .order_by("created_at")
            .values("kind", "to_address", "subject", "text_body", "status", "created_at", "sent_at")
        )
    }


def erase(*, user, now: datetime.datetime) -> None:
    """The email log stays as a record of what was sent when, with its addresses and contents
    redacted: the person's own emails, and those to the other side of their sessions."""
    OutboxEmail.objects.filter(_about(user)).update(
        to_address=REDACTED, subject=REDACTED, text_body="", html_body="", attachments=[]
    )


def unsent_to(user) -> bool:
    """Whether emails to or about `user` are still waiting to go out (an erasure waits for
    them: the last one confirms the deletion)."""
    return OutboxEmail.objects.filter(
        _about(user), status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING]
    ).exists()
