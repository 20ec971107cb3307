"""Erasure (DPDP Act s.12(3)) and consent withdrawal (s.6(4)), and the inactivity policy.

Deleting an account happens in two steps. At once, in the request: upcoming sessions are
cancelled under the refund policy (both sides are told), the confirmation email is queued, the
account can no longer sign in and every session ends. Then a task erases the data, app by app
(each app's `personal_data.erase`), once the last emails to the person have gone out: the
confirmation must reach the address before the address is erased.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Max, Q
from django.db.models.functions import Coalesce, Greatest

from mockri.accounts.models import User
from mockri.accounts.personal_data import ERASED_EMAIL_DOMAIN
from mockri.accounts.services import user_sessions_end
from mockri.bookings.enums import ACTIVE_STATUSES, Actor
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_cancel, refund_decision_for
from mockri.notifications.personal_data import unsent_to
from mockri.notifications.services import email_queue

from .models import PurgeLog
from .registry import personal_data_modules

logger = logging.getLogger(__name__)

# How long an erasure waits for the last emails to the person before erasing regardless.
EMAIL_WAIT = datetime.timedelta(hours=1)


def _upcoming(bookings, now):
    return bookings.filter(status__in=ACTIVE_STATUSES, starts_at__gt=now).select_related(
        "interviewer__user", "interview_type"
    )


def erasure_consequences(*, user: User, now: datetime.datetime) -> dict:
    """What deleting `user`'s account would do, shown before they confirm."""
    booked = list(_upcoming(Booking.objects.filter(candidate=user), now))
    return {
        "bookings": [
            (booking, refund_decision_for(booking, actor_role=Actor.CANDIDATE, now=now))
            for booking in booked
        ],
        "sessions_to_interview": _upcoming(
            Booking.objects.filter(interviewer__user=user), now
        ).count(),
    }


def account_erase(*, user: User, requested_by: User, reason: str, now: datetime.datetime) -> None:
    """Delete `user`'s account, at their request (or staff's, for a written request).

    Side effects, at once: upcoming bookings cancelled as the candidate's own cancellation
    (refund per policy) and sessions they were to interview cancelled as the interviewer's
    (refunded in full), with the emails those send; the "account deleted" email; the account
    unable to sign in, every session ended; then the erasure task.
    """
    from .tasks import account_erase_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.erased_at is not None:
            return
        for booking in _upcoming(Booking.objects.filter(candidate=user), now):
            booking_cancel(booking, actor=user, actor_role=Actor.CANDIDATE, reason=reason, now=now)
        for booking in _upcoming(Booking.objects.filter(interviewer__user=user), now):
            booking_cancel(
                booking,
                actor=user,
                actor_role=Actor.INTERVIEWER,
                reason="The interviewer has left Mockri.",
                now=now,
            )
        email_queue(
            "account_erased",
            recipient=user,
            booking=None,
            dedupe_key=f"account_erased:{user.pk}",
            context={"reason": reason},
        )
        user.is_active = False
        user.erased_at = now
        user.set_unusable_password()
        user.save(update_fields=["is_active", "erased_at", "password"])
        user_sessions_end(user=user)
        account_erase_task.enqueue(user_id=user.pk)
    logger.info("Account %s deletion started (by %s)", user.pk, requested_by.pk)


def consent_withdraw(
    *, user: User, now: datetime.datetime, requested_by: User | None = None, reason: str = ""
) -> None:
    """Withdraw consent to processing, which the service cannot run without: the withdrawal is
    recorded in the consent log, then the account is deleted.

    Side effects: the user's consents stamped withdrawn; those of `account_erase`.
    """
    with transaction.atomic():
        user.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
        account_erase(
            user=user,
            requested_by=requested_by or user,
            reason=reason or "Consent withdrawn.",
            now=now,
        )


def account_erase_data(*, user_id: int, now: datetime.datetime) -> bool:
    """Erase everything about a deleted account, each app its own part. False while emails to
    the person are still going out (for up to EMAIL_WAIT): call again later.

    Side effects: every app's erase; stored files deleted after commit.
    """
    user = User.objects.filter(pk=user_id, erased_at__isnull=False).first()
    if user is None or user.email.endswith("@" + ERASED_EMAIL_DOMAIN):
        return True
    if unsent_to(user) and now - user.erased_at < EMAIL_WAIT:
        return False
    with transaction.atomic():
        for module in reversed(personal_data_modules().values()):
            module.erase(user=user, now=now)
    logger.info("Account %s erased", user_id)
    return True


def account_erasures_unfinished(*, now: datetime.datetime) -> list[int]:
    """Deleted accounts whose data should have been erased by now (their task was lost)."""
    return list(
        User.objects.filter(erased_at__lte=now - EMAIL_WAIT)
        .exclude(email__endswith="@" + ERASED_EMAIL_DOMAIN)
        .values_list("pk", flat=True)
    )


def _last_activity():
    """A user's latest sign-in, session (as candidate or interviewer) or sign-up."""
    joined = "date_joined"
    return Greatest(
        Coalesce("last_login", joined),
        Coalesce(Max("bookings__ends_at"), joined),
        Coalesce(Max("interviewer_profile__bookings__ends_at"), joined),
        output_field=DateTimeField(),
    )


def inactive_accounts_sweep(*, now: datetime.datetime) -> dict:
    """Warn accounts inactive for INACTIVE_ACCOUNT_DAYS less INACTIVITY_WARNING_DAYS, and erase
    those warned at least INACTIVITY_WARNING_DAYS ago that stayed inactive. Staff are exempt.

    Side effects: warning emails and `inactivity_warned_at`; `account_erase` for the rest, and
    a PurgeLog row counting them.
    """
    inactive_after = datetime.timedelta(days=settings.INACTIVE_ACCOUNT_DAYS)
    warning = datetime.timedelta(days=settings.INACTIVITY_WARNING_DAYS)
    people = User.objects.filter(erased_at__isnull=True, is_staff=False).annotate(
        last_activity=_last_activity()
    )
    to_warn = people.filter(last_activity__lte=now - inactive_after + warning).filter(
        Q(inactivity_warned_at__isnull=True) | Q(inactivity_warned_at__lt=F("last_activity"))
    )
    warned = 0
    for user in to_warn:
        erase_on = max(user.last_activity + inactive_after, now + warning)
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
            email_queue(
                "account_inactive",
                recipient=user,
                booking=None,
                dedupe_key=f"account_inactive:{user.pk}:{now:%Y%m%d}",
                context={"erase_on": erase_on},
            )
        warned += 1
    to_erase = people.filter(
        last_activity__lte=now - inactive_after,
        inactivity_warned_at__lte=now - warning,
        inactivity_warned_at__gte=F("last_activity"),
    )
    erased = 0
    for user in to_erase:
        account_erase(user=user, requested_by=user, reason="Account inactive.", now=now)
        erased += 1
    if erased:
        PurgeLog.objects.create(
            what=f"accounts inactive for {settings.INACTIVE_ACCOUNT_DAYS} days", count=erased
        )
    return {"warned": warned, "erased": erased}
