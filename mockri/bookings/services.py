"""Every change to a booking. Views, tasks and the admin call these and nothing else."""

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from mockri.accounts.models import User
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.lib.errors import (
    DomainError,
    InvalidTransition,
    NotAllowed,
    PolicyViolation,
    SlotUnavailable,
)
from mockri.lib.files import delete_stored_on_commit
from mockri.scheduling.slots import slot_is_open

from .availability_cache import schedule_changed, schedule_changed_with_this_transaction
from .enums import (
    ACTIVE_STATUSES,
    ALLOWED_TRANSITIONS,
    Actor,
    BookingStatus,
    FileKind,
    NoShowSide,
    RefundDecision,
)
from .models import Booking, BookingEvent, BookingFile, booking_file_path
from .open_starts import open_starts_lock_key, open_starts_refresh_booking
from .selectors import availabilities_for, holds_its_time, least_busy_free_interviewer
from .signals import (
    booking_cancelled,
    booking_changed,
    booking_completed,
    booking_confirmed,
    booking_no_show,
)
from .upload_services import uploads_consume
from .uploads import CheckedUpload

SLOT_TAKEN = "Sorry, that time was just taken. Please pick another one."
CANDIDATE_BUSY = "You already have a session booked at that time."
# PostgreSQL's no-overlap exclusion constraints (migration 0002).
_CANDIDATE_NO_OVERLAP = "booking_candidate_no_overlap"


@dataclass(frozen=True)
class NewFile:
    kind: FileKind
    uploaded: UploadedFile | ContentFile
    checked: CheckedUpload
    # The completed upload it came from (upload_services), used up with the change it makes.
    upload_id: uuid.UUID | None = None


def _uploads_used(files: Sequence[NewFile]) -> list[uuid.UUID]:
    return [new_file.upload_id for new_file in files if new_file.upload_id]


# --- Creating -------------------------------------------------------------------------------


def booking_create(
    *,
    candidate: User,
    interview_type: InterviewType,
    interviewer: InterviewerProfile | None,
    starts_at: datetime.datetime,
    job_description_text: str = "",
    files: Sequence[NewFile] = (),
    target_company: str = "",
    focus_areas: str = "",
    idempotency_key,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book `starts_at` with `interviewer`, or with a fairly chosen free one when None.

    Side effects: stores the files privately (using up the uploads they came from); creates the
    booking (confirmed when free, held in pending_payment for BOOKING_HOLD_MINUTES when paid,
    with a task to expire the hold), its audit event, a new schedule version (cached slot pages
    go stale) and, when confirmed, booking_confirmed and the tasks it queues
    (bookings/signals.py), in one transaction; expires any run-out hold in the way first.
    Raises SlotUnavailable or PolicyViolation (the free allowance, the cap on unpaid holds) and
    then leaves nothing behind.
    A repeated `idempotency_key` returns the booking the first submission made.
    """
    now = now or timezone.now()
    try:
        if not interview_type.is_active:
            raise SlotUnavailable(f"{interview_type.name} sessions are not being booked right now.")
        # The candidate's limits (the free allowance, the cap on unpaid holds) are checked once,
        # under the candidate's lock (_insert_booking): the details page has already turned away
        # a candidate at a limit, so a refusal here is rare, and it leaves no file behind either.
        chosen = least_busy_free_interviewer(
            interview_type=interview_type, interviewer=interviewer, starts_at=starts_at, now=now
        )
        if chosen is None:
            raise SlotUnavailable(SLOT_TAKEN)
    except DomainError:
        # A repeated submission fails these checks against its own first booking: answer with
        # that booking. (Checking the key first would cost every first submission a query.)
        earlier = Booking.objects.filter(candidate=candidate, idempotency_key=idempotency_key)
        if booking := earlier.first():
            return booking
        raise

    stored = _store_files(files)
    try:
        return _insert_booking(
            candidate=candidate,
            interview_type=interview_type,
            interviewer=chosen,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=interview_type.duration_minutes),
            job_description_text=job_description_text,
            stored_files=stored,
            target_company=target_company,
            focus_areas=focus_areas,
            idempotency_key=idempotency_key,
            now=now,
        )
    except BaseException:
        for name, _ in stored:
            default_storage.delete(name)
        raise


def free_session_allowance_check(*, candidate: User, now: datetime.datetime) -> None:
    """Raise PolicyViolation when the candidate has used their free sessions for now."""
    allowance = settings.FREE_SESSIONS_PER_30_DAYS
    used = Booking.objects.filter(
        candidate=candidate,
        price_paise=0,
        created_at__gte=now - datetime.timedelta(days=30),
    ).exclude(status__in=[BookingStatus.EXPIRED, BookingStatus.CANCELLED])
    if used.count() >= allowance:
        raise PolicyViolation(
            f"You can book {allowance} free session every 30 days, and you already have. "
            "Paid sessions are open to you any time."
        )


def unpaid_holds_check(*, candidate: User, now: datetime.datetime) -> None:
    """Raise PolicyViolation when the candidate already holds BOOKING_MAX_UNPAID_HOLDS times
    unpaid: each hold keeps a slot from everyone else until it runs out."""
    _refuse_too_many_holds(
        holding=Booking.objects.filter(
            candidate=candidate, status=BookingStatus.PENDING_PAYMENT, hold_expires_at__gt=now
        ).count()
    )


def _refuse_too_many_holds(*, holding: int) -> None:
    most = settings.BOOKING_MAX_UNPAID_HOLDS
    if holding >= most:
        raise PolicyViolation(
            f"You already have {most} sessions waiting for payment. Pay for one of them, or "
            "cancel it, before booking another time."
        )


def candidate_limits_check(
    *, candidate: User, interview_type: InterviewType, now: datetime.datetime
) -> None:
    """Raise PolicyViolation when the candidate may not book this type now: the free allowance
    for a free type, the cap on unpaid holds for a paid one."""
    if interview_type.is_free:
        free_session_allowance_check(candidate=candidate, now=now)
    else:
        unpaid_holds_check(candidate=candidate, now=now)


def _store_files(files: Sequence[NewFile]) -> list[tuple[str, NewFile]]:
    stored = []
    try:
        for new_file in files:
            new_file.uploaded.seek(0)
            name = default_storage.save(booking_file_path(None, ""), new_file.uploaded)
            stored.append((name, new_file))
    except BaseException:
        for name, _ in stored:
            default_storage.delete(name)
        raise
    return stored


def _collides(*, interviewer_id, candidate_id, starts_at, ends_at, busy_until) -> Q:
    """Bookings whose times overlap, by the database constraints' own rule: the interviewer's
    time includes the buffer, the candidate's does not."""
    collides = Q(interviewer_id=interviewer_id, starts_at__lt=busy_until, busy_until__gt=starts_at)
    if candidate_id is not None:
        collides |= Q(candidate_id=candidate_id, starts_at__lt=ends_at, ends_at__gt=starts_at)
    return collides


def _clash(
    *, interviewer_id, candidate_id=None, starts_at, ends_at, busy_until, exclude_pk=None, now=None
) -> str:
    """Which side a booking that holds its time would collide with ("interviewer", "candidate"
    or ""), in one query (see _collides). A run-out hold collides with nothing."""
    collides = _collides(
        interviewer_id=interviewer_id,
        candidate_id=candidate_id,
        starts_at=starts_at,
        ends_at=ends_at,
        busy_until=busy_until,
    )
    now = now or timezone.now()
    clashing = Booking.objects.filter(collides, holds_its_time(now=now)).order_by()
    if exclude_pk is not None:
        clashing = clashing.exclude(pk=exclude_pk)
    sides = set(clashing.values_list("interviewer_id", flat=True)[:2])
    if not sides:
        return ""
    return "interviewer" if interviewer_id in sides else "candidate"


def _refuse_clash(*, candidate_message: str, interviewer_message: str = SLOT_TAKEN, **times):
    """Raise SlotUnavailable, with the side's own message, if the times clash (see _clash)."""
    clash = _clash(**times)
    if clash == "interviewer":
        raise SlotUnavailable(interviewer_message)
    if clash == "candidate":
        raise SlotUnavailable(candidate_message)


def _expire_stale_holds(
    *, interviewer_id, candidate_id=None, starts_at, ends_at, busy_until, now=None
) -> None:
    """Expire the run-out holds that overlap these times, so that PostgreSQL's exclusion
    constraints (which count every held booking) let the new times in: the worker that expires
    holds may be late or down. Run it under _lock_overlapping's locks."""
    now = now or timezone.now()
    stale = Booking.objects.filter(
        _collides(
            interviewer_id=interviewer_id,
            candidate_id=candidate_id,
            starts_at=starts_at,
            ends_at=ends_at,
            busy_until=busy_until,
        ),
        status=BookingStatus.PENDING_PAYMENT,
        hold_expires_at__lte=now,
    )
    for booking_id in stale.values_list("pk", flat=True):
        booking_expire_hold(booking_id=booking_id, now=now)


def _check_limits_and_expire_stale_holds(*, candidate, interview_type, now, **times) -> None:
    """candidate_limits_check, then _expire_stale_holds: for a paid type in one query, since
    both read pending holds (the candidate's live ones, and the run-out ones in the way)."""
    if interview_type.is_free:
        candidate_limits_check(candidate=candidate, interview_type=interview_type, now=now)
        _expire_stale_holds(**times, now=now)
        return
    pending = Booking.objects.filter(
        Q(candidate_id=candidate.pk, hold_expires_at__gt=now)
        | (_collides(**times) & Q(hold_expires_at__lte=now)),
        status=BookingStatus.PENDING_PAYMENT,
    ).order_by()
    rows = list(pending.values_list("pk", "hold_expires_at"))
    _refuse_too_many_holds(holding=sum(1 for _, expires_at in rows if expires_at > now))
    for booking_id, expires_at in rows:
        if expires_at <= now:
            booking_expire_hold(booking_id=booking_id, now=now)


def _database_refuses_overlaps() -> bool:
    """Whether the database itself refuses overlapping active bookings: PostgreSQL has the
    exclusion constraints of migration 0002, SQLite has no such constraints."""
    return connection.vendor == "postgresql"


def _violated_constraint(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)  # psycopg's error, which Django wraps
    return getattr(diag, "constraint_name", None) or ""


def _utc_days(starts_at: datetime.datetime, ends_at: datetime.datetime) -> range:
    """The UTC dates (day numbers) that [starts_at, ends_at) touches."""
    first = starts_at.astimezone(datetime.UTC).toordinal()
    last = (ends_at - datetime.timedelta(microseconds=1)).astimezone(datetime.UTC).toordinal()
    return range(first, last + 1)


def _lock_key(kind: int, owner_id: int, day: int) -> int:
    # 2 bits of kind, 40 of id, 20 of day: a positive 64-bit key. Owners that share a key (ids
    # 2**40 apart) only queue behind one another; they never refuse one another.
    return kind << 60 | (owner_id % 2**40) << 20 | day % 2**20


def _lock_overlapping(*, interviewer_id, candidate_id, starts_at, ends_at, busy_until) -> None:
    """Queue, until this transaction ends, behind any other new booking of the same interviewer
    on the same UTC dates (two bookings that overlap share one), and of the same candidate at
    any time (so the rules counted over all a candidate's bookings, the free allowance and the
    cap on unpaid holds, are checked and kept in one step).

    PostgreSQL's exclusion constraints refuse the second of two overlapping inserts either way,
    but two inserts that check each other at once can each wait for the other: a deadlock, and
    an error. Queued, the second finds the first committed and is refused cleanly. The locks are
    taken in one order, so the queueing cannot deadlock either. Every write that gives a booking
    a new time or interviewer takes them.
    """
    if not _database_refuses_overlaps():
        return  # SQLite: the transaction holds the whole database's write lock already
    keys = sorted(
        {_lock_key(1, interviewer_id, day) for day in _utc_days(starts_at, busy_until)}
        | {_lock_key(2, candidate_id, 0)}
        # The rewrite of the interviewer's open starts that follows (bookings/open_starts.py).
        | {open_starts_lock_key(interviewer_id)}
    )
    with connection.cursor() as cursor:  # one round trip; PostgreSQL takes them left to right
        cursor.execute("SELECT " + ", ".join(["pg_advisory_xact_lock(%s)"] * len(keys)), keys)


def _insert_booking(
    *,
    candidate,
    interview_type,
    interviewer,
    starts_at,
    ends_at,
    stored_files,
    idempotency_key,
    now,
    **details,
) -> Booking:
    busy_until = ends_at + datetime.timedelta(minutes=interviewer.buffer_minutes)
    paid = not interview_type.is_free
    times = {
        "interviewer_id": interviewer.pk,
        "candidate_id": candidate.pk,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "busy_until": busy_until,
    }
    try:
        with transaction.atomic():
            # On SQLite this transaction holds the write lock from its start (IMMEDIATE), so no
            # other booking can come between these checks and the insert.
            _lock_overlapping(**times)
            _check_limits_and_expire_stale_holds(
                candidate=candidate, interview_type=interview_type, now=now, **times
            )
            if not _database_refuses_overlaps():
                # On PostgreSQL the insert is the check: the exclusion constraints refuse it.
                _refuse_clash(candidate_message=CANDIDATE_BUSY, now=now, **times)
            booking = Booking.objects.create(
                candidate=candidate,
                interviewer=interviewer,
                interview_type=interview_type,
                status=BookingStatus.PENDING_PAYMENT if paid else BookingStatus.CONFIRMED,
                starts_at=starts_at,
                ends_at=ends_at,
                busy_until=busy_until,
                price_paise=interview_type.price_paise,
                hold_expires_at=(
                    now + datetime.timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
                    if paid
                    else None
                ),
                idempotency_key=idempotency_key,
                **details,
            )
            BookingFile.objects.bulk_create(
                BookingFile(
                    booking=booking,
                    kind=new_file.kind,
                    file=name,
                    original_name=new_file.checked.display_name,
                    content_type=new_file.checked.content_type,
                    size_bytes=new_file.checked.size_bytes,
                )
                for name, new_file in stored_files
            )
            uploads_consume(
                owner=candidate, upload_ids=_uploads_used([new for _, new in stored_files])
            )
            _record(
                booking,
                action="created",
                actor=candidate,
                actor_role=Actor.CANDIDATE,
                to_status=booking.status,
            )
            if paid:
                from .tasks import booking_expire_hold_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

                booking_expire_hold_task.using(run_after=booking.hold_expires_at).enqueue(
                    booking_id=booking.pk
                )
            else:
                _announce(booking_confirmed, booking)
            open_starts_refresh_booking(
                interviewer_id=interviewer.pk,
                starts_at=starts_at,
                ends_at=ends_at,
                interview_type_id=interview_type.pk,
                locked=True,  # by _lock_overlapping
            )
            schedule_changed_with_this_transaction()
            return booking
    except (DomainError, IntegrityError) as error:
        # A repeated submission collides with its own first booking: answer with that booking.
        earlier = Booking.objects.filter(
            candidate=candidate, idempotency_key=idempotency_key
        ).first()
        if earlier:
            for name, _ in stored_files:
                default_storage.delete(name)
            return earlier
        if isinstance(error, DomainError):
            raise
        if _violated_constraint(error) == _CANDIDATE_NO_OVERLAP:
            raise SlotUnavailable(CANDIDATE_BUSY) from None
        raise SlotUnavailable(SLOT_TAKEN) from None


# --- Changing state ---------------------------------------------------------------------------


def _record(booking, *, action, actor, actor_role, from_status="", to_status="", detail=""):
    BookingEvent.objects.create(
        booking=booking,
        actor=actor,
        actor_role=actor_role,
        action=action,
        from_status=from_status,
        to_status=to_status,
        detail=detail,
    )


def booking_transition(
    booking: Booking,
    *,
    to: BookingStatus,
    actor: User | None,
    actor_role: Actor,
    reason: str = "",
    **fields,
) -> Booking:
    """Move `booking` to status `to`, if the transition table allows it.

    Side effects, in one transaction: a conditional UPDATE (losing a race raises
    InvalidTransition) with `fields`; a new schedule version (cached slot pages go stale); the
    audit event; then by the new status:
    - confirmed: booking_confirmed (the meeting, the announcement emails, the reminders and the
      feedback request are queued);
    - cancelled: booking_cancelled (the refund the booking's decision gives, the meeting's
      cancellation and the cancellation emails are queued);
    - completed: the interviewer's "sessions given" counted; booking_completed (the rating email
      and the interviewer's credit are queued);
    - no_show: booking_no_show (the interviewer's credit or reliability review is queued);
    - expired: the booking's files deleted (from storage once committed).
    The signals are sent inside the transaction and their receivers only queue tasks (the table
    in bookings/signals.py): a receiver that raises undoes the whole change.
    """
    old = booking.status
    if to not in ALLOWED_TRANSITIONS[old]:
        raise InvalidTransition(
            f"A booking that is {booking.get_status_display().lower()} cannot become "
            f"{BookingStatus(to).label.lower()}."
        )
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, status=old).update(
            status=to, updated_at=timezone.now(), **fields
        )
        if not changed:
            raise InvalidTransition("This booking was changed meanwhile. Please reload the page.")
        schedule_changed()
        for name, value in {"status": to, **fields}.items():
            setattr(booking, name, value)
        open_starts_refresh_booking(
            interviewer_id=booking.interviewer_id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            interview_type_id=booking.interview_type_id,
        )
        _record(
            booking,
            action=str(to),
            actor=actor,
            actor_role=actor_role,
            from_status=old,
            to_status=to,
            detail=reason,
        )
        if to == BookingStatus.EXPIRED:
            _delete_files(booking)
        if to == BookingStatus.CONFIRMED:
            _announce(booking_confirmed, booking)
        if to == BookingStatus.CANCELLED:
            _announce(booking_cancelled, booking)
        if to == BookingStatus.COMPLETED:
            InterviewerProfile.objects.filter(pk=booking.interviewer_id).update(
                sessions_given=F("sessions_given") + 1
            )
            _announce(booking_completed, booking)
        if to == BookingStatus.NO_SHOW:
            _announce(booking_no_show, booking)
    return booking


def _announce(signal, booking: Booking) -> None:
    # Inside the change's transaction: the receivers' tasks commit with it, or nothing does.
    signal.send(sender=Booking, booking=booking)


def _update_unchanged(booking: Booking, **fields) -> None:
    """Write `fields` and a new version, unless someone changed the booking since it was read.

    Side effects: the schedule is marked changed (cached slot pages go stale); booking_changed
    is sent (its receivers queue their tasks in the caller's transaction).
    """
    changed = Booking.objects.filter(
        pk=booking.pk, status=booking.status, version=booking.version
    ).update(version=booking.version + 1, updated_at=timezone.now(), **fields)
    if not changed:
        raise InvalidTransition("This booking was changed meanwhile. Please reload the page.")
    schedule_changed()
    # The times it leaves and those it takes (another interviewer's, when reassigned): the
    # callers hold the latter's lock (_lock_overlapping).
    new_interviewer = fields.get("interviewer")
    new_interviewer_id = new_interviewer.pk if new_interviewer else booking.interviewer_id
    for interviewer_id, starts_at, ends_at in {
        (booking.interviewer_id, booking.starts_at, booking.ends_at),
        (
            new_interviewer_id,
            fields.get("starts_at", booking.starts_at),
            fields.get("ends_at", booking.ends_at),
        ),
    }:
        open_starts_refresh_booking(
            interviewer_id=interviewer_id,
            starts_at=starts_at,
            ends_at=ends_at,
            interview_type_id=booking.interview_type_id,
            locked=interviewer_id == new_interviewer_id,
        )
    _announce(booking_changed, booking)


def _delete_files(booking: Booking) -> None:
    names = list(booking.files.values_list("file", flat=True))
    booking.files.all().delete()
    delete_stored_on_commit(names)


def booking_expire_hold(*, booking_id: int, now: datetime.datetime | None = None) -> bool:
    """Expire an unpaid hold whose time ran out, freeing the slot. True when it expired."""
    now = now or timezone.now()
    booking = Booking.objects.filter(
        pk=booking_id, status=BookingStatus.PENDING_PAYMENT, hold_expires_at__lte=now
    ).first()
    if booking is None:
        return False
    try:
        booking_transition(
            booking,
            to=BookingStatus.EXPIRED,
            actor=None,
            actor_role=Actor.SYSTEM,
            reason="The payment hold ran out.",
        )
    except InvalidTransition:
        return False  # paid or cancelled at the same moment
    return True


def refund_window_closed(*, starts_at: datetime.datetime, now: datetime.datetime) -> bool:
    """Whether a candidate who cancelled a session starting then would get nothing back: true
    from 24 h before the start. Told before payment too, for a session booked that late."""
    deadline = starts_at - datetime.timedelta(hours=settings.CANDIDATE_CHANGE_DEADLINE_HOURS)
    return now > deadline


def refund_decision_for(booking: Booking, *, actor_role: Actor, now: datetime.datetime) -> str:
    """The cancellation policy: a paid, confirmed session cancelled by the candidate 24 h or more
    before it starts is refunded in full, later not at all; cancelled by the interviewer or staff,
    always in full."""
    if booking.is_free or booking.status != BookingStatus.CONFIRMED:
        return RefundDecision.NOT_APPLICABLE
    if actor_role != Actor.CANDIDATE:
        return RefundDecision.FULL
    if refund_window_closed(starts_at=booking.starts_at, now=now):
        return RefundDecision.NONE
    return RefundDecision.FULL


def booking_cancel(
    booking: Booking,
    *,
    actor: User,
    actor_role: Actor,
    reason: str,
    refund_decision: RefundDecision | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Cancel before the session starts; store who, when, why and the refund the policy gives,
    or the one staff chose instead (`refund_decision`, for a booking the policy would refund or
    not: full, partial or none; the caller requests a partial refund's amount itself).

    Side effects: those of booking_transition to cancelled (booking_cancelled queues the refund,
    the meeting's cancellation and the emails, committed with the cancellation).
    """
    now = now or timezone.now()
    if now >= booking.starts_at:
        raise PolicyViolation("This session has already started, so it can no longer be cancelled.")
    decision = refund_decision_for(booking, actor_role=actor_role, now=now)
    if refund_decision is not None:
        if actor_role != Actor.STAFF:
            raise NotAllowed("Only staff can override the refund policy.")
        if decision == RefundDecision.NOT_APPLICABLE:
            raise PolicyViolation(
                "Nothing was paid for this booking, so there is nothing to refund."
            )
        decision = refund_decision
    return booking_transition(
        booking,
        to=BookingStatus.CANCELLED,
        actor=actor,
        actor_role=actor_role,
        reason=reason,
        cancelled_by=actor_role,
        cancelled_at=now,
        cancellation_reason=reason,
        refund_decision=decision,
    )


def booking_confirm_payment(booking: Booking) -> Booking:
    """A verified payment confirms the booking.

    A booking whose hold ran out is reinstated when its interviewer and candidate are still
    free then; otherwise SlotUnavailable is raised and the caller refunds the payment. A
    cancelled booking raises PolicyViolation (the caller refunds too).
    Side effects: the transition's to confirmed (status, audit event, schedule version,
    booking_confirmed and the tasks it queues).
    """
    if booking.status == BookingStatus.CONFIRMED:
        return booking
    if booking.status == BookingStatus.PENDING_PAYMENT:
        return booking_transition(
            booking,
            to=BookingStatus.CONFIRMED,
            actor=None,
            actor_role=Actor.SYSTEM,
            reason="Payment received.",
            hold_expires_at=None,
        )
    if booking.status != BookingStatus.EXPIRED:
        raise PolicyViolation(
            f"This booking is {booking.get_status_display().lower()}; it cannot be confirmed."
        )
    times = {
        "interviewer_id": booking.interviewer_id,
        "candidate_id": booking.candidate_id,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "busy_until": booking.busy_until,
    }
    try:
        with transaction.atomic():
            _lock_overlapping(**times)
            _expire_stale_holds(**times)
            if _clash(exclude_pk=booking.pk, **times):
                raise SlotUnavailable("The time was taken after the payment hold ran out.")
            return booking_transition(
                booking,
                to=BookingStatus.CONFIRMED,
                actor=None,
                actor_role=Actor.SYSTEM,
                reason="Paid after the hold ran out; the time was still free.",
                hold_expires_at=None,
            )
    except IntegrityError:
        raise SlotUnavailable("The time was taken after the payment hold ran out.") from None


def reschedule_refusal(booking: Booking, *, actor_role: Actor, now: datetime.datetime) -> str:
    """Why this person may not move this session now, or "" when they may.

    Candidates: up to CANDIDATE_CHANGE_DEADLINE_HOURS before the start, at most
    CANDIDATE_MAX_RESCHEDULES times. Interviewers and staff: any time before it starts.
    """
    if booking.status != BookingStatus.CONFIRMED:
        return "Only a confirmed session can be moved."
    if now >= booking.starts_at:
        return "This session has already started, so it can no longer be moved."
    if actor_role != Actor.CANDIDATE:
        return ""
    deadline_hours = settings.CANDIDATE_CHANGE_DEADLINE_HOURS
    if booking.starts_at - now < datetime.timedelta(hours=deadline_hours):
        return (
            f"Sessions can be moved up to {deadline_hours} hours before they start. "
            "You can still cancel it."
        )
    if booking.reschedule_count >= settings.CANDIDATE_MAX_RESCHEDULES:
        return (
            f"This session has been moved {booking.reschedule_count} times, the most we allow. "
            "You can still cancel it."
        )
    return ""


def booking_reschedule(
    booking: Booking,
    *,
    actor: User,
    actor_role: Actor,
    new_start: datetime.datetime,
    now: datetime.datetime | None = None,
    reason: str = "",
) -> Booking:
    """Move a confirmed session to another open slot of the same interviewer (`reason`: why,
    for the audit event, when staff move it).

    Candidates: up to 24 h before the current start, at most twice. Interviewers and staff: any
    time before it starts. Side effects, in one transaction: new times, version + 1 (and the
    candidate's reschedule count + 1 when they moved it), a new schedule version, the audit
    event, and booking_changed: the meeting's update, the announcement of the new time, the
    reminders and the feedback request for the new time are queued (bookings/signals.py).
    """
    now = now or timezone.now()
    refusal = reschedule_refusal(booking, actor_role=actor_role, now=now)
    if refusal:
        raise PolicyViolation(refusal)
    interviewer = InterviewerProfile.objects.select_related("user").get(pk=booking.interviewer_id)
    duration = booking.ends_at - booking.starts_at
    (availability,) = availabilities_for(
        interviewers=[interviewer], now=now, exclude_booking_id=booking.pk, around=new_start
    )
    if not slot_is_open(availability, start=new_start, duration=duration, now=now):
        raise SlotUnavailable(SLOT_TAKEN)
    new_end = new_start + duration
    busy_until = new_end + datetime.timedelta(minutes=interviewer.buffer_minutes)
    counted = 1 if actor_role == Actor.CANDIDATE else 0
    try:
        with transaction.atomic():
            times: dict[str, Any] = {
                "starts_at": new_start,
                "ends_at": new_end,
                "busy_until": busy_until,
            }
            _lock_overlapping(
                interviewer_id=interviewer.pk, candidate_id=booking.candidate_id, **times
            )
            _expire_stale_holds(
                interviewer_id=interviewer.pk, candidate_id=booking.candidate_id, now=now, **times
            )
            _refuse_clash(
                interviewer_id=interviewer.pk,
                candidate_id=booking.candidate_id,
                exclude_pk=booking.pk,
                candidate_message="The candidate already has a session at that time.",
                now=now,
                **times,
            )
            _update_unchanged(
                booking,
                starts_at=new_start,
                ends_at=new_end,
                busy_until=busy_until,
                reschedule_count=booking.reschedule_count + counted,
            )
            _record(
                booking,
                action="rescheduled",
                actor=actor,
                actor_role=actor_role,
                detail=f"{booking.starts_at.isoformat()} -> {new_start.isoformat()}"
                + (f": {reason}" if reason else ""),
            )
    except IntegrityError:
        raise SlotUnavailable(SLOT_TAKEN) from None
    booking.refresh_from_db()
    return booking


def booking_record_outcome(
    booking: Booking,
    *,
    actor: User,
    actor_role: Actor,
    no_show_side: NoShowSide | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """After the start time: completed, or a no-show by one side (`reason`: why, for the audit
    event, when staff record it)."""
    now = now or timezone.now()
    if now < booking.starts_at:
        raise PolicyViolation("You can record how the session went once it has started.")
    if no_show_side is None:
        return booking_transition(
            booking, to=BookingStatus.COMPLETED, actor=actor, actor_role=actor_role, reason=reason
        )
    return booking_transition(
        booking,
        to=BookingStatus.NO_SHOW,
        actor=actor,
        actor_role=actor_role,
        reason=reason,
        no_show_side=no_show_side,
    )


def booking_reassign(
    booking: Booking, *, staff_user: User, interviewer: InterviewerProfile, reason: str = ""
) -> Booking:
    """Staff give an active booking to another interviewer who offers its type and is free then.

    Side effects, in one transaction: new interviewer and buffer, version + 1, a new schedule
    version, the audit event (with `reason`), and booking_changed (as for booking_reschedule,
    with the email telling the former interviewer).
    """
    if not staff_user.is_staff:
        raise NotAllowed("Only staff can reassign sessions.")
    if booking.status not in ACTIVE_STATUSES:
        raise PolicyViolation("Only an upcoming session can be reassigned.")
    if not interviewer.interview_types.filter(pk=booking.interview_type_id).exists():
        raise SlotUnavailable(
            f"{interviewer.display_name} doesn't take {booking.interview_type.name} sessions."
        )
    busy_until = booking.ends_at + datetime.timedelta(minutes=interviewer.buffer_minutes)
    try:
        with transaction.atomic():
            times = {"starts_at": booking.starts_at, "ends_at": booking.ends_at}
            _lock_overlapping(
                interviewer_id=interviewer.pk,
                candidate_id=booking.candidate_id,
                busy_until=busy_until,
                **times,
            )
            _expire_stale_holds(interviewer_id=interviewer.pk, busy_until=busy_until, **times)
            if _clash(
                interviewer_id=interviewer.pk, busy_until=busy_until, exclude_pk=booking.pk, **times
            ):
                raise SlotUnavailable(f"{interviewer.display_name} has another session then.")
            previous = booking.interviewer
            _update_unchanged(booking, interviewer=interviewer, busy_until=busy_until)
            _record(
                booking,
                action="reassigned",
                actor=staff_user,
                actor_role=Actor.STAFF,
                detail=f"{previous.display_name} -> {interviewer.display_name}"
                + (f": {reason}" if reason else ""),
            )
    except IntegrityError:
        raise SlotUnavailable(f"{interviewer.display_name} has another session then.") from None
    booking.refresh_from_db()
    return booking


def booking_file_replace(
    booking: Booking,
    *,
    actor: User,
    kind: FileKind,
    new_file: NewFile,
    now: datetime.datetime | None = None,
) -> BookingFile:
    """The candidate replaces the job description or resume of an upcoming session: the
    interviewer sees the new file from now on, and the old one is deleted from storage.

    Side effects: the stored file and its row replaced (the upload it came from used up); the
    audit event.
    """
    now = now or timezone.now()
    if booking.status not in ACTIVE_STATUSES or now >= booking.starts_at:
        raise PolicyViolation("Files can be replaced only before an upcoming session starts.")
    (stored,) = _store_files([new_file])
    name, _ = stored
    try:
        with transaction.atomic():
            old = list(booking.files.filter(kind=kind).values_list("file", flat=True))
            booking.files.filter(kind=kind).delete()
            replacement = BookingFile.objects.create(
                booking=booking,
                kind=kind,
                file=name,
                original_name=new_file.checked.display_name,
                content_type=new_file.checked.content_type,
                size_bytes=new_file.checked.size_bytes,
            )
            _record(booking, action=f"replaced {kind}", actor=actor, actor_role=Actor.CANDIDATE)
            uploads_consume(owner=actor, upload_ids=_uploads_used([new_file]))
            delete_stored_on_commit(old)
    except BaseException:
        default_storage.delete(name)
        raise
    return replacement
