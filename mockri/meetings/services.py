"""Every change to a meeting. Tasks, the Cal.com webhook and the admin call these.

Provider calls happen outside database transactions (a slow provider must not hold a lock);
writes after a call are conditional on the meeting's status, so a booking cancelled while its
meeting was being made does not get a live meeting back.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.lib.errors import InvalidTransition

from .enums import JOINABLE_STATUSES, MEETING_TRANSITIONS, MeetingStatus
from .models import Meeting
from .providers import fallback_providers, get_provider
from .providers.base import MeetingDetails, MeetingRequest, ProviderError
from .signals import meeting_link_missing, meeting_ready

logger = logging.getLogger(__name__)

NO_LINK_BEFORE_START = "No meeting link was ready an hour before the start."
ERROR_MAX_LENGTH = 1000


def meeting_request_for(booking: Booking) -> MeetingRequest:
    """The session as providers see it: plain data, times in UTC."""
    interviewer = booking.interviewer
    return MeetingRequest(
        booking_reference=booking.reference,
        booking_version=booking.version,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        title=f"{settings.SITE_NAME} mock interview: {booking.interview_type.name}",
        description=(
            f"{settings.SITE_NAME} session {booking.reference}. "
            f"Details: {settings.SITE_URL}{booking.get_absolute_url()}"
        ),
        candidate_name=booking.candidate.full_name or booking.candidate.email,
        candidate_email=booking.candidate.email,
        candidate_timezone=booking.candidate.timezone,
        interviewer_name=interviewer.display_name,
        interviewer_email=interviewer.user.email,
        interviewer_timezone=interviewer.user.timezone,
        interviewer_calcom_event_type_id=interviewer.calcom_event_type_id,
    )


def _booking(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related("candidate", "interviewer__user", "interview_type")
        .filter(pk=booking_id)
        .first()
    )


def meeting_create_for(*, booking_id: int) -> Meeting | None:
    """Make the meeting of a confirmed booking with the configured provider.

    Side effects: the Meeting row (pending, on the first call); one provider call; on success
    the id and link, status ready, attempts 0, and meeting_ready in the same transaction. A
    failure is recorded (attempts + 1, last_error) and re-raised as ProviderError, as is a
    meeting made without its link yet (the retry reads it again). Does nothing for a booking
    that is gone or not confirmed, or a meeting that already has a link or was cancelled.
    """
    booking = _booking(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return None
    meeting, _ = Meeting.objects.get_or_create(
        booking=booking, defaults={"provider": settings.MEETING_PROVIDER}
    )
    if meeting.status != MeetingStatus.PENDING:
        return meeting
    return _sync(meeting, booking)


def meeting_update_for(*, booking_id: int) -> Meeting | None:
    """Bring the meeting in line with a booking moved to another time or interviewer.

    Side effects: the provider's update (Google patches time and attendees; Cal.com reschedules,
    or for another interviewer cancels the booking and makes one on the new interviewer's event
    type), or a re-read when only the link is missing; the new id, link, synced version and
    interviewer, and meeting_ready; failures recorded and re-raised as in
    meeting_create_for. Does nothing when the booking is gone or not confirmed, when nothing
    exists at the provider yet (the create task reads the new details), or when the meeting was
    cancelled; only sends meeting_ready when it already reflects this version of the booking
    (e.g. the move came from Cal.com itself), since the booking's emails wait for it.
    """
    booking = _booking(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return None
    meeting = Meeting.objects.filter(booking=booking).first()
    if meeting is None or meeting.status == MeetingStatus.CANCELLED or not meeting.external_id:
        return meeting
    if meeting.synced_version >= booking.version and meeting.url:
        if meeting.status in JOINABLE_STATUSES:
            _announce_ready(meeting)
        return meeting
    return _sync(meeting, booking)


def _sync(meeting: Meeting, booking: Booking) -> Meeting:
    request = meeting_request_for(booking)
    try:
        provider = get_provider(meeting.provider)
        if not meeting.external_id:
            details = provider.create(request)
        elif meeting.synced_version < booking.version:
            details = provider.update(
                meeting.external_id,
                request,
                previous_starts_at=meeting.starts_at,
                interviewer_changed=meeting.interviewer_id is not None
                and meeting.interviewer_id != booking.interviewer_id,
            )
        else:
            details = provider.fetch(meeting.external_id)
    except ProviderError as error:
        _record_failure(meeting, error)
        raise
    with transaction.atomic():
        recorded = _record_details(meeting, details, booking)
        if recorded and details.url:
            _announce_ready(meeting)
    if not recorded:
        # Cancelled (or failed over) while the provider was working: undo what it made.
        _cancel_quietly(details.provider, details.external_id)
        meeting.refresh_from_db()
        return meeting
    if not details.url:
        no_link = ProviderError("The provider has not given a meeting link yet.", permanent=False)
        _record_failure(meeting, no_link)
        raise no_link
    return meeting


def _announce_ready(meeting: Meeting) -> None:
    """Send meeting_ready in the transaction that stored the link: its receivers' tasks commit
    with the link, or neither does."""
    with transaction.atomic():
        meeting_ready.send(sender=Meeting, meeting=meeting)


def meeting_transition(meeting: Meeting, *, to: MeetingStatus, **fields) -> bool:
    """The one writer of Meeting.status: move `meeting` to `to` (or keep its status) with
    `fields`, if MEETING_TRANSITIONS allows it, by a conditional UPDATE on the status it was
    read with. Raises InvalidTransition for a move the table forbids; returns False, changing
    nothing, when another writer changed the status meanwhile (a lost race).
    """
    old = meeting.status
    if to != old and to not in MEETING_TRANSITIONS[old]:
        raise InvalidTransition(
            f"A meeting that is {MeetingStatus(old).label.lower()} cannot become "
            f"{MeetingStatus(to).label.lower()}."
        )
    changed = Meeting.objects.filter(pk=meeting.pk, status=old).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if changed:
        for name, value in {"status": to, **fields}.items():
            setattr(meeting, name, value)
    return bool(changed)


def _mark_cancelled(meeting: Meeting, **fields) -> None:
    """Cancelled it ends, whatever another writer did meanwhile (every status may cancel)."""
    while meeting.status != MeetingStatus.CANCELLED:
        if meeting_transition(meeting, to=MeetingStatus.CANCELLED, **fields):
            return
        meeting.refresh_from_db(fields=["status"])


def _record_details(meeting: Meeting, details: MeetingDetails, booking: Booking) -> bool:
    """Store what the provider answered, unless the meeting's status changed meanwhile."""
    fields = {
        "provider": details.provider,
        "external_id": details.external_id,
        "url": details.url,
        "synced_version": booking.version,
        "starts_at": booking.starts_at,
        "interviewer_id": booking.interviewer_id,
    }
    to = MeetingStatus(meeting.status)  # a fallback keeps its status, and its error for staff
    if meeting.status != MeetingStatus.FAILED_OVER:
        if details.url:
            to = MeetingStatus.READY
            fields.update(attempts=0, last_error="")
        else:
            to = MeetingStatus.PENDING
    return meeting_transition(meeting, to=to, **fields)


def _record_failure(meeting: Meeting, error: ProviderError) -> None:
    meeting.attempts += 1
    meeting.last_error = error.message[:ERROR_MAX_LENGTH]
    meeting.save(update_fields=["attempts", "last_error", "updated_at"])
    # The provider's message stays on the row for staff: it may quote names or addresses.
    logger.warning(
        "Meeting of booking %s failed at %s (attempt %s, %s)",
        meeting.booking_id,
        meeting.provider,
        meeting.attempts,
        "permanent" if error.permanent else "transient",
    )


def _cancel_quietly(provider_name: str, external_id: str, reason: str = "") -> None:
    """Best effort: a failure is logged, never raised (the link people use is elsewhere)."""
    if not external_id or provider_name == "jitsi":
        return
    try:
        get_provider(provider_name).cancel(
            external_id, reason=reason or "This session has a new meeting link."
        )
    except ProviderError as error:
        logger.warning(
            "Could not cancel %s meeting %s (%s)",
            provider_name,
            external_id,
            "permanent" if error.permanent else "transient",
        )


def meeting_cancel_for(*, booking_id: int) -> Meeting | None:
    """Cancel the meeting of a cancelled booking at its provider.

    Side effects: one provider call (none for Jitsi or a meeting not yet made there); status
    cancelled. A failure is recorded and re-raised; the task retries it or gives up with
    meeting_cancel_give_up. Does nothing when the booking is not cancelled, has no meeting,
    or its meeting is already cancelled (e.g. the cancellation came from Cal.com).
    """
    booking = _booking(booking_id)
    if booking is None or booking.status != BookingStatus.CANCELLED:
        return None
    meeting = Meeting.objects.filter(booking=booking).first()
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return meeting
    if meeting.external_id and meeting.provider != "jitsi":  # an unused room never exists
        try:
            get_provider(meeting.provider).cancel(
                meeting.external_id,
                reason=booking.cancellation_reason or "The session was cancelled.",
            )
        except ProviderError as error:
            _record_failure(meeting, error)
            raise
    _mark_cancelled(meeting, attempts=0)
    return meeting


def meeting_cancel_give_up(*, booking_id: int) -> None:
    """The provider would not cancel: mark the meeting cancelled anyway, keeping last_error so
    staff can remove it by hand."""
    meeting = Meeting.objects.filter(booking_id=booking_id).first()
    if meeting is not None:
        _mark_cancelled(meeting)


def meeting_cancelled_elsewhere(meeting: Meeting) -> None:
    """The provider itself cancelled the meeting (e.g. on Cal.com): mark it cancelled, so
    Mockri does not cancel it back there. Side effects: status cancelled."""
    _mark_cancelled(meeting)


def meeting_fall_back(*, booking_id: int, reason: str = "") -> Meeting | None:
    """Give a confirmed session a link from another provider because its own failed for good.

    Tries providers.fallback_providers in turn: the other configured provider the privacy
    policy names (Google Meet <-> Cal.com), then Jitsi only where it is allowed outside the
    policy. Side effects, on the first that gives a link: provider, id and link stored, status
    failed_over, meeting_ready in the same transaction. When none does: no link (status
    no_link, the emails say the link will follow) and meeting_link_missing in the same
    transaction (staff are emailed). Either way last_error says why (`reason`, or the one kept,
    plus each fallback's failure; staff see it on the booking), attempts are kept, and whatever
    the failed provider had made is cancelled (best effort), so no stale event stays in
    calendars. Does nothing for a booking that is not confirmed, a cancelled meeting, or one
    already failed over with a link for the booking's current version.
    """
    booking = _booking(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return None
    meeting, _ = Meeting.objects.get_or_create(
        booking=booking, defaults={"provider": settings.MEETING_PROVIDER}
    )
    current_fallback = (
        meeting.status == MeetingStatus.FAILED_OVER
        and meeting.url
        and meeting.synced_version >= booking.version
    )
    if meeting.status == MeetingStatus.CANCELLED or current_fallback:
        return meeting
    failed_provider, failed_id = meeting.provider, meeting.external_id
    why = reason or meeting.last_error or "The provider failed."
    request = meeting_request_for(booking)
    for name in fallback_providers(failed_provider):
        try:
            details = get_provider(name).create(request)
        except ProviderError as error:
            why += f" Fallback {name} failed: {error.message}"
            logger.warning("Meeting fallback of booking %s failed at %s", booking.pk, name)
            continue
        if not details.url:
            # Made without its link yet: nobody would wait for it, so undo it and go on.
            _cancel_quietly(details.provider, details.external_id)
            why += f" Fallback {name} gave no link."
            continue
        return _settle_fallback(
            meeting, booking, details=details, why=why, failed=(failed_provider, failed_id)
        )
    return _settle_fallback(
        meeting, booking, details=None, why=why, failed=(failed_provider, failed_id)
    )


def _settle_fallback(
    meeting: Meeting,
    booking: Booking,
    *,
    details: MeetingDetails | None,
    why: str,
    failed: tuple[str, str],
) -> Meeting:
    """Store the fallback's link (or the lack of one, for staff) unless the meeting's status
    changed meanwhile, announce it, and cancel what the failed provider had made."""
    fields = {
        "last_error": why[:ERROR_MAX_LENGTH],
        "synced_version": booking.version,
        "starts_at": booking.starts_at,
        "interviewer_id": booking.interviewer_id,
    }
    if details is None:
        to, signal = MeetingStatus.NO_LINK, meeting_link_missing
        fields.update(external_id="", url="")
    else:
        to, signal = MeetingStatus.FAILED_OVER, meeting_ready
        fields.update(provider=details.provider, external_id=details.external_id, url=details.url)
    with transaction.atomic():
        settled = meeting_transition(meeting, to=to, **fields)
        if settled:
            signal.send(sender=Meeting, meeting=meeting)
    if not settled:  # cancelled or failed over meanwhile: that stands
        if details is not None:
            _cancel_quietly(details.provider, details.external_id)
        meeting.refresh_from_db()
        return meeting
    logger.warning(
        "Meeting of booking %s fell back from %s to %s",
        booking.pk,
        failed[0],
        details.provider if details else "no link (staff alerted)",
    )
    _cancel_quietly(*failed)
    return meeting


def meeting_check_before_start(*, booking_id: int) -> Meeting | None:
    """Make sure a confirmed session about to start has a working link (called before the
    1-hour reminder, so the reminder can carry it).

    Re-reads the meeting at its provider. Falls back (meeting_fall_back: another provider, or
    no link and an alert to staff) when there is no link yet or the provider says the meeting is
    gone; a provider that is only unreachable keeps its link,
    which most likely still works. Side effects: a newer link is stored, with meeting_ready;
    those of meeting_fall_back. Returns the meeting (None for a booking that is not confirmed).
    """
    booking = _booking(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return None
    meeting = Meeting.objects.filter(booking=booking).first()
    if meeting is None or meeting.status not in JOINABLE_STATUSES or not meeting.url:
        reason = NO_LINK_BEFORE_START
        if meeting is not None and meeting.last_error:
            reason += f" Last error: {meeting.last_error}"
        return meeting_fall_back(booking_id=booking.pk, reason=reason)
    if meeting.status == MeetingStatus.FAILED_OVER or meeting.provider == "jitsi":
        return meeting  # a Jitsi room cannot go away
    try:
        details = get_provider(meeting.provider).fetch(meeting.external_id)
    except ProviderError as error:
        if error.permanent:
            return meeting_fall_back(booking_id=booking.pk, reason=error.message)
        logger.warning("Could not re-check meeting of booking %s (transient)", booking.pk)
        return meeting
    if not details.url:
        return meeting_fall_back(booking_id=booking.pk, reason=NO_LINK_BEFORE_START)
    if details.url != meeting.url:
        meeting.url = details.url
        with transaction.atomic():
            meeting.save(update_fields=["url", "updated_at"])
            _announce_ready(meeting)
    return meeting
