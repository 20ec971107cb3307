import datetime
import functools
import operator
from collections.abc import Collection, Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from mockri.accounts.models import User, normalize_email
from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking, BookingEvent, BookingFile, FileAccess
from mockri.feedback.models import Feedback, Rating
from mockri.lib.errors import PolicyViolation, RequestNotConfirmed
from mockri.notifications.models import OutboxEmail
from mockri.payments.models import Payment
from mockri.preparation.models import CandidateProfile

from .exports import token_digest
from .models import BreachDataKind, BreachNotice, Grievance, PurgeLog

# The providers the privacy policy names, and what each receives.
PROVIDERS = [
    ("Google", "sign-in (if you use it) and Google Meet links for sessions"),
    ("Cal.com", "scheduling and meeting links, where used"),
    ("Resend", "sending our emails to you"),
    ("Razorpay", "payments for paid sessions (we keep only reference IDs and amounts)"),
    ("Neon", "hosting our database"),
    ("Vercel", "hosting the website"),
]


def personal_data_summary(*, user) -> dict:
    """Categories and counts of what Mockri holds about `user`, and who received it."""
    bookings = Booking.objects.filter(candidate=user)
    return {
        "account": {
            "name": user.full_name,
            "email": user.email,
            "timezone": user.timezone,
            "google": user.socialaccount_set.exists(),
            "image": bool(user.avatar),
        },
        "consents": user.consents.count(),
        "bookings": bookings.count(),
        "files": BookingFile.objects.filter(booking__candidate=user).count(),
        "payments": Payment.objects.filter(
            Q(booking__candidate=user) | Q(pack_purchase__candidate=user)
        ).count(),
        "emails": OutboxEmail.objects.filter(recipient=user).count(),
        "file_openings": FileAccess.objects.filter(booking__candidate=user).count(),
        "requests": Grievance.objects.filter(user=user).count(),
        "feedback_received": Feedback.objects.filter(booking__candidate=user).count(),
        "ratings_given": Rating.objects.filter(booking__candidate=user).count(),
        "preparation": CandidateProfile.objects.filter(user=user)
        .select_related("target_role")
        .first(),
        "interview_date_grace_days": settings.INTERVIEW_DATE_GRACE_DAYS,
        "file_retention_days": settings.FILE_RETENTION_DAYS,
        "interviewers": sorted(set(bookings.values_list("interviewer__display_name", flat=True))),
        "providers": PROVIDERS,
    }


def breach_affected_users(
    *, window_start: datetime.datetime, window_end: datetime.datetime, kinds: Iterable[str]
) -> QuerySet[User]:
    """People whose data of any of `kinds` existed at some time in [window_start, window_end).

    Everyone must have joined before the end and not have erased their account before the start
    (an account erased since is included: its `erased_at` is set, and it can no longer be told).
    Per kind:
    - account: that is all;
    - bookings: the candidate and the interviewer of a booking made before the end (bookings
      are kept, de-identified when an account is erased);
    - files: the candidate of a booking made before the end whose job description or resume
      was still held at the start. Files are held from the booking's creation (replacing one
      keeps one held) until retention purges them (PurgeLog names the booking), the hold
      expires (its "expired" event) or the account is erased; a pasted job description stays
      with the booking. A booking with no file left and no record of one going never had one.
    - payments: the candidate of a booking with a payment created before the end (kept);
    - feedback: the candidate and the interviewer of a booking with a scorecard submitted, or
      a rating given, before the end;
    - emails: the recipient of an email queued before the end (kept);
    - requests: the person behind a privacy request or grievance filed from their account
      before the end (kept; one filed without an account has no user to tell).
    """
    kinds = set(kinds)
    if unknown := kinds - set(BreachDataKind.values):
        raise ValueError(f"Unknown kinds of data: {', '.join(sorted(unknown))}.")
    if not kinds:
        raise ValueError("Name at least one kind of data.")
    if window_start >= window_end:
        raise ValueError("The window must end after it starts.")
    made_before_end = {"created_at__lt": window_end}
    per_kind: dict[str, Q | Exists] = {
        BreachDataKind.BOOKINGS: Exists(
            Booking.objects.filter(candidate=OuterRef("pk"), **made_before_end)
        )
        | Exists(Booking.objects.filter(interviewer__user=OuterRef("pk"), **made_before_end)),
        BreachDataKind.FILES: Exists(
            Booking.objects.filter(candidate=OuterRef("pk"), **made_before_end).filter(
                _files_held_since(window_start)
            )
        ),
        BreachDataKind.PAYMENTS: Exists(
            Payment.objects.filter(
                Q(booking__candidate=OuterRef("pk")) | Q(pack_purchase__candidate=OuterRef("pk")),
                **made_before_end,
            )
        ),
        BreachDataKind.FEEDBACK: _with_booking_of(
            Feedback.objects.filter(submitted_at__lt=window_end)
        )
        | _with_booking_of(Rating.objects.filter(created_at__lt=window_end)),
        BreachDataKind.EMAILS: Exists(
            OutboxEmail.objects.filter(recipient=OuterRef("pk"), **made_before_end)
        ),
        BreachDataKind.REQUESTS: Exists(
            Grievance.objects.filter(user=OuterRef("pk"), **made_before_end)
        ),
    }
    users = User.objects.filter(date_joined__lt=window_end).exclude(erased_at__lt=window_start)
    if BreachDataKind.ACCOUNT not in kinds:
        users = users.filter(functools.reduce(operator.or_, (per_kind[kind] for kind in kinds)))
    return users.order_by("pk")


def _with_booking_of(rows: QuerySet) -> Q:
    """People who are the candidate or the interviewer of the booking of one of `rows`."""
    return Exists(rows.filter(booking__candidate=OuterRef("pk"))) | Exists(
        rows.filter(booking__interviewer__user=OuterRef("pk"))
    )


def _files_held_since(moment: datetime.datetime) -> Q:
    """Bookings whose job description or resume was still held at `moment` (or later)."""

    def files_went(op: str) -> Q:
        # Retention logs the references whose files it purged; an expiring hold deletes them.
        return Exists(
            PurgeLog.objects.filter(
                detail__contains=OuterRef("reference"), **{f"ran_at__{op}": moment}
            )
        ) | Exists(
            BookingEvent.objects.filter(
                booking=OuterRef("pk"), action=BookingStatus.EXPIRED, **{f"at__{op}": moment}
            )
        )

    held_now = Exists(BookingFile.objects.filter(booking=OuterRef("pk"))) | ~Q(
        job_description_text=""
    )
    went_since = files_went("gte") | Q(candidate__erased_at__gte=moment)
    return held_now | (went_since & ~files_went("lt"))


def breach_notice_get_for_user(*, user: User, pk: int) -> BreachNotice:
    """The user's own notice, with its incident; anyone else's is a 404."""
    return get_object_or_404(BreachNotice.objects.select_related("incident"), pk=pk, user=user)


def breach_notice_unread_for(*, user: User) -> BreachNotice | None:
    """The newest notice the user has not acknowledged: one indexed query."""
    return (
        BreachNotice.objects.filter(user=user, acknowledged_at__isnull=True)
        .order_by("-sent_at")
        .only("pk", "sent_at")
        .first()
    )


def grievance_requester(*, grievance: Grievance):
    """The account registered with the address a request names, if any (not an erased or
    staff account): the only account staff may export or erase for, on that request, and only
    once `grievance_from_owner` says its owner made it."""

    return User.objects.filter(
        email=normalize_email(grievance.email), erased_at__isnull=True, is_staff=False
    ).first()


def grievance_from_owner(*, grievance: Grievance, user) -> bool:
    """Whether `user` provably made the request: it was filed while signed in as them with
    their address, or they confirmed it through the link emailed to their registered address.
    Anyone can type someone else's address into the form."""
    return grievance.verified_at is not None and grievance.user_id == user.pk


def grievance_account_to_act_for(*, grievance: Grievance, kinds: Collection[str]) -> User:
    """The account staff may export or erase for on this request: one of `kinds`, naming a
    registered address, provably made by that account's owner (`grievance_from_owner`).

    Raises PolicyViolation saying why nothing may be done (RequestNotConfirmed when only the
    owner's confirmation is missing); each message starts with the request's reference.
    """
    if grievance.kind not in kinds:
        raise PolicyViolation(f"{grievance.reference}: not a request of this kind: nothing done.")
    user = grievance_requester(grievance=grievance)
    if user is None:
        raise PolicyViolation(
            f"{grievance.reference}: no account is registered with that email address: "
            "nothing done."
        )
    if not grievance_from_owner(grievance=grievance, user=user):
        raise RequestNotConfirmed(
            f"{grievance.reference}: not confirmed by the account's owner: nothing done. They "
            "were emailed a confirmation link at the account's address; act once they follow "
            "it, or once they send the request signed in to their account."
        )
    return user


def grievance_for_confirmation(*, token: str) -> Grievance:
    """The request a confirmation link belongs to; 404 for an unknown link."""
    return get_object_or_404(Grievance, confirm_token_sha256=token_digest(token))
