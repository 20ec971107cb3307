from django.db import models


class BookingStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Awaiting payment"
    CONFIRMED = "confirmed", "Confirmed"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# Statuses that hold a slot: the interviewer's and the candidate's time is taken.
ACTIVE_STATUSES = (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED)

# What counts towards how busy an interviewer is (who takes an "any available" booking): every
# session but expired holds and cancellations.
LOAD_STATUSES = tuple(
    status
    for status in BookingStatus.values
    if status not in (BookingStatus.EXPIRED, BookingStatus.CANCELLED)
)

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    BookingStatus.PENDING_PAYMENT: frozenset(
        {BookingStatus.CONFIRMED, BookingStatus.EXPIRED, BookingStatus.CANCELLED}
    ),
    BookingStatus.CONFIRMED: frozenset(
        {BookingStatus.COMPLETED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED}
    ),
    BookingStatus.COMPLETED: frozenset(),
    # A payment that arrives after the hold ran out reinstates the booking if the time is free.
    BookingStatus.EXPIRED: frozenset({BookingStatus.CONFIRMED}),
    BookingStatus.CANCELLED: frozenset(),
    BookingStatus.NO_SHOW: frozenset(),
}


class Actor(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    INTERVIEWER = "interviewer", "Interviewer"
    STAFF = "staff", "Staff"
    SYSTEM = "system", "Mockri"


class NoShowSide(models.TextChoices):
    CANDIDATE = "candidate", "Candidate did not attend"
    INTERVIEWER = "interviewer", "Interviewer did not attend"


class RefundDecision(models.TextChoices):
    """What the cancellation policy decided; the payments app carries it out."""

    NOT_APPLICABLE = "not_applicable", "Nothing to refund"
    FULL = "full", "Full refund"
    # Staff overrode the policy with part of the price (the console requests that refund).
    PARTIAL = "partial", "Partial refund"
    NONE = "none", "No refund"


class FileKind(models.TextChoices):
    JOB_DESCRIPTION = "job_description", "Job description"
    RESUME = "resume", "Resume"


class UploadStatus(models.TextChoices):
    RECEIVING = "receiving", "Receiving parts"
    COMPLETE = "complete", "Complete, not yet used"
