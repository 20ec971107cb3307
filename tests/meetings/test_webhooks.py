"""Cal.com's webhooks through the real view: raw signed bodies (the documented samples),
duplicates, tampering and bad signatures."""

import datetime

import pytest
import responses
import time_machine
from django.urls import reverse

from mockri.bookings.enums import Actor, BookingStatus, NoShowSide, RefundDecision
from mockri.bookings.models import BookingEvent
from mockri.bookings.services import booking_reassign
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting, WebhookDelivery
from mockri.meetings.services import meeting_create_for
from tests.fixtures import SLOT
from tests.meetings.conftest import (
    calcom_body,
    calcom_body_with,
    run_meeting_tasks,
    sign,
)

pytestmark = pytest.mark.django_db
URL = reverse("meetings:calcom_webhook")
TRIGGERS = [
    "BOOKING_CREATED",
    "BOOKING_RESCHEDULED",
    "BOOKING_CANCELLED",
    "MEETING_ENDED",
    "BOOKING_NO_SHOW_UPDATED",
]
# INTEGRATIONS.md §2.5: HMACs of the saved files with the test secret; they only guard against
# the fixtures being reformatted by accident.
DOCUMENTED_SIGNATURES = {
    "BOOKING_CREATED": "48e7ff98ef91f8cc875ad2293aac88344e809ad48dc171ed64c98ae02872b42b",
    "BOOKING_RESCHEDULED": "1746ce16f98910a4240d0e4f18798d41183969bc9e66a3688d5119f32d104b7a",
    "BOOKING_CANCELLED": "73cc1f294f8c0d3f17568a59f203a0ee739c8dbc3f9e6e1bcce74c09b2c21e5d",
    "MEETING_ENDED": "a6e84df02a78e5404211951bd6e88bdd935d9f5a6b93e74842275c159fc099c7",
    "BOOKING_NO_SHOW_UPDATED": "6763b97988ec2c42f371070aebbbbbc57f3dce1f701f4f7080272b97f5f2dfcf",
}
AFTER_THE_START = SLOT + datetime.timedelta(minutes=25)
NEW_START = datetime.datetime(2026, 12, 3, 4, 30, tzinfo=datetime.UTC)  # Thursday 10:00 in India


def deliver(client, body: bytes, *, signature=None):
    headers = {"X-Cal-Webhook-Version": "2021-10-20"}
    if signature is not False:
        headers["X-Cal-Signature-256"] = sign(body) if signature is None else signature
    return client.post(URL, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_the_saved_samples_are_the_documented_bytes(trigger):
    assert sign(calcom_body(trigger)) == DOCUMENTED_SIGNATURES[trigger]


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_each_documented_event_is_accepted_once_and_replayed_harmlessly(client, calcom, trigger):
    body = calcom_body(trigger)

    first = deliver(client, body)
    again = deliver(client, body)

    assert (first.status_code, first.content) == (200, b"OK")
    assert (again.status_code, again.content) == (200, b"Already received.")
    delivery = WebhookDelivery.objects.get()
    assert delivery.trigger == trigger
    assert delivery.outcome == ("ignored" if trigger == "BOOKING_CREATED" else "unknown booking")


@pytest.mark.parametrize(
    "signature",
    [
        False,
        "",
        "no-secret-provided",
        "0" * 64,
        sign(calcom_body("BOOKING_CANCELLED"), "another-secret"),
        sign(calcom_body("BOOKING_CREATED")),
    ],
    ids=["missing", "empty", "no secret", "zeros", "wrong secret", "another body"],
)
def test_a_badly_signed_event_is_refused_and_changes_nothing(
    client, calcom, booking, calcom_meeting, signature
):
    calcom_meeting("unique-booking-identifier")

    response = deliver(client, calcom_body("BOOKING_CANCELLED"), signature=signature)

    assert response.status_code == 400
    assert not WebhookDelivery.objects.exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_tampered_body_is_refused(client, calcom, booking, calcom_meeting):
    calcom_meeting("unique-booking-identifier")
    body = calcom_body("BOOKING_CANCELLED")
    tampered = body.replace(b"I am no longer able", b"I am very much able")

    response = deliver(client, tampered, signature=sign(body))

    assert response.status_code == 400
    assert not WebhookDelivery.objects.exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_without_a_configured_secret_everything_is_refused(client, settings):
    settings.CALCOM_WEBHOOK_SECRET = ""
    body = calcom_body("BOOKING_CANCELLED")

    assert deliver(client, body, signature=sign(body, "")).status_code == 400


def test_a_signed_body_that_is_not_an_event_is_refused(client, calcom):
    body = b'{"hello": "world"}'

    response = deliver(client, body)

    assert (response.status_code, response.content) == (
        400,
        b"The Cal.com webhook body is not an event Mockri can read.",
    )


def test_a_get_is_not_allowed(client, calcom):
    assert client.get(URL).status_code == 405


def test_a_cancellation_on_cal_com_cancels_the_booking_as_its_interviewer(
    client,
    calcom,
    booking,
    calcom_meeting,
    interviewer,
    task_queue,
    django_capture_on_commit_callbacks,
):
    calcom_meeting("unique-booking-identifier")

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, calcom_body("BOOKING_CANCELLED"))

    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == Actor.INTERVIEWER
    assert booking.cancellation_reason == "I am no longer able to attend this session."
    assert booking.refund_decision == RefundDecision.NOT_APPLICABLE  # a free session
    event = booking.events.get(action="cancelled")
    assert (event.actor, event.actor_role) == (interviewer, Actor.INTERVIEWER)
    assert WebhookDelivery.objects.get().outcome == "booking cancelled"
    # The meeting is already cancelled: nothing is cancelled back at Cal.com.
    with responses.RequestsMock() as mock:
        assert run_meeting_tasks(task_queue) == ["meeting_cancel_task"]
        assert len(mock.calls) == 0
    assert Meeting.objects.get().status == MeetingStatus.CANCELLED


def test_a_repeated_cancellation_changes_nothing_more(client, calcom, booking, calcom_meeting):
    calcom_meeting("unique-booking-identifier")
    first = calcom_body("BOOKING_CANCELLED")
    # Not byte-identical (another delivery), but about the same booking.
    second = calcom_body_with("BOOKING_CANCELLED", iCalSequence=3)

    deliver(client, first)
    events = BookingEvent.objects.count()
    response = deliver(client, second)

    assert response.status_code == 200
    assert BookingEvent.objects.count() == events
    assert list(WebhookDelivery.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "booking cancelled",
        "already cancelled",
    ]


def test_a_cancellation_after_the_start_is_recorded_as_a_problem(
    client, calcom, booking, calcom_meeting
):
    calcom_meeting("unique-booking-identifier")

    with time_machine.travel(AFTER_THE_START, tick=False):
        deliver(client, calcom_body("BOOKING_CANCELLED"))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    meeting = Meeting.objects.get()
    assert meeting.status == MeetingStatus.READY
    assert meeting.last_error == (
        "Cal.com cancelled this session, but Mockri could not: "
        "This session has already started, so it can no longer be cancelled."
    )


def test_a_meeting_that_ended_completes_the_booking(client, calcom, booking, calcom_meeting):
    calcom_meeting("unique-booking-identifier")

    with time_machine.travel(AFTER_THE_START, tick=False):
        response = deliver(client, calcom_body("MEETING_ENDED"))

    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert booking.events.get(action="completed").actor_role == Actor.SYSTEM
    assert WebhookDelivery.objects.get().outcome == "booking completed"


def test_a_meeting_ended_before_the_start_changes_nothing(client, calcom, booking, calcom_meeting):
    calcom_meeting("unique-booking-identifier")

    deliver(client, calcom_body("MEETING_ENDED"))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert WebhookDelivery.objects.get().outcome.startswith("ignored: the booking is confirmed")


def test_a_reschedule_on_cal_com_moves_the_booking_to_the_open_time(
    client, calcom, booking, calcom_meeting, task_queue, django_capture_on_commit_callbacks
):
    calcom_meeting("previous-booking-unique-id")
    body = calcom_body_with(
        "BOOKING_RESCHEDULED",
        startTime="2026-12-03T04:30:00Z",
        endTime="2026-12-03T04:50:00Z",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, body)

    assert response.status_code == 200
    booking.refresh_from_db()
    assert (booking.starts_at, booking.version) == (NEW_START, 2)
    assert booking.events.get(action="rescheduled").actor_role == Actor.INTERVIEWER
    meeting = Meeting.objects.get()
    assert (meeting.external_id, meeting.url, meeting.synced_version, meeting.starts_at) == (
        "new-booking-unique-id",
        "https://app.example.com/video/new-booking-unique-id",
        2,
        NEW_START,
    )
    # Cal.com is already at the new time: the update that follows calls nothing.
    with responses.RequestsMock() as mock:
        assert run_meeting_tasks(task_queue) == ["meeting_update_task"]
        assert len(mock.calls) == 0


def test_a_reschedule_to_a_time_that_is_not_open_is_recorded_as_a_problem(
    client, calcom, booking, calcom_meeting
):
    calcom_meeting("previous-booking-unique-id")

    # The documented sample moves it to 10 January 2024: long past.
    deliver(client, calcom_body("BOOKING_RESCHEDULED"))

    booking.refresh_from_db()
    assert (booking.starts_at, booking.version) == (SLOT, 1)
    meeting = Meeting.objects.get()
    assert meeting.external_id == "new-booking-unique-id"
    assert meeting.last_error.startswith(
        "Cal.com moved this session to 2024-01-10 14:30 UTC; Mockri could not: "
    )
    assert WebhookDelivery.objects.get().outcome == meeting.last_error


def test_a_reschedule_mockri_made_itself_is_already_known(client, calcom, booking, calcom_meeting):
    calcom_meeting("new-booking-unique-id")

    deliver(client, calcom_body("BOOKING_RESCHEDULED"))

    assert WebhookDelivery.objects.get().outcome == "already known"
    booking.refresh_from_db()
    assert booking.version == 1


def test_a_no_show_after_the_start_is_recorded(client, calcom, booking, calcom_meeting):
    calcom_meeting("5vQFqxDFMjdgKGMijqtqRw")
    body = calcom_body_with(
        "BOOKING_NO_SHOW_UPDATED",
        message="kavya@example.com marked as no-show",
        attendees=[{"email": "kavya@example.com", "noShow": True}],
    )

    with time_machine.travel(AFTER_THE_START, tick=False):
        deliver(client, body)

    booking.refresh_from_db()
    assert (booking.status, booking.no_show_side) == (BookingStatus.NO_SHOW, NoShowSide.CANDIDATE)
    assert WebhookDelivery.objects.get().outcome == "no-show recorded: candidate"


def test_a_no_show_of_someone_else_changes_nothing(client, calcom, booking, calcom_meeting):
    calcom_meeting("5vQFqxDFMjdgKGMijqtqRw")

    with time_machine.travel(AFTER_THE_START, tick=False):
        deliver(client, calcom_body("BOOKING_NO_SHOW_UPDATED"))  # test@example.com

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert WebhookDelivery.objects.get().outcome == "no one of this booking marked absent"


def test_a_no_show_before_the_start_changes_nothing(client, calcom, booking, calcom_meeting):
    calcom_meeting("5vQFqxDFMjdgKGMijqtqRw")
    body = calcom_body_with(
        "BOOKING_NO_SHOW_UPDATED", attendees=[{"email": "kavya@example.com", "noShow": True}]
    )

    deliver(client, body)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# Finding the session by Mockri's reference in the booking's metadata


def ours(booking, **extra) -> dict:
    """The metadata Mockri sends with a booking, as the webhook carries it back."""
    return {"mockri_booking": booking.reference, "mockri_version": "1", **extra}


def test_a_reschedule_of_a_booking_mockri_lost_track_of_is_found_by_its_metadata(
    client, calcom, booking, calcom_meeting
):
    calcom_meeting("uid-before-a-lost-webhook")
    body = calcom_body_with(
        "BOOKING_RESCHEDULED",
        startTime="2026-12-03T04:30:00Z",
        endTime="2026-12-03T04:50:00Z",
        metadata=ours(booking, videoCallUrl="https://app.example.com/video/new-booking-unique-id"),
    )

    deliver(client, body)

    assert WebhookDelivery.objects.get().outcome == "booking moved"
    booking.refresh_from_db()
    assert booking.starts_at == NEW_START
    assert Meeting.objects.get().external_id == "new-booking-unique-id"


def test_a_reschedule_while_mockri_still_makes_the_meeting_leaves_it_for_the_retry_to_read(
    client, calcom, booking
):
    # The create's answer was lost: Mockri does not know the uid yet.
    Meeting.objects.create(booking=booking, provider="calcom", attempts=1)
    body = calcom_body_with(
        "BOOKING_RESCHEDULED",
        startTime="2026-12-02T04:30:00Z",
        endTime="2026-12-02T04:50:00Z",
        metadata=ours(booking, videoCallUrl="https://app.example.com/video/new-booking-unique-id"),
    )

    deliver(client, body)

    assert WebhookDelivery.objects.get().outcome == "new uid stored"
    with responses.RequestsMock() as mock:
        mock.get(
            "https://api.cal.com/v2/bookings/new-booking-unique-id",
            json={
                "status": "success",
                "data": {
                    "uid": "new-booking-unique-id",
                    "status": "accepted",
                    "duration": 20,
                    "location": "https://app.example.com/video/new-booking-unique-id",
                },
            },
        )
        meeting = meeting_create_for(booking_id=booking.pk)
    assert (meeting.status, meeting.url) == (
        MeetingStatus.READY,
        "https://app.example.com/video/new-booking-unique-id",
    )


def test_a_meeting_end_found_by_its_metadata_completes_the_booking(
    client, calcom, booking, calcom_meeting
):
    calcom_meeting("a-uid-of-its-own")
    body = calcom_body_with("MEETING_ENDED", metadata=ours(booking))  # the flat booking row

    with time_machine.travel(AFTER_THE_START, tick=False):
        deliver(client, body)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED


def test_metadata_naming_another_booking_finds_nothing(client, calcom, booking, calcom_meeting):
    calcom_meeting("a-uid-of-its-own")
    body = calcom_body_with(
        "BOOKING_RESCHEDULED", metadata={"mockri_booking": "MK-NOPE23", "mockri_version": "1"}
    )

    deliver(client, body)

    assert WebhookDelivery.objects.get().outcome == "unknown booking"
    assert Meeting.objects.get().external_id == "a-uid-of-its-own"


def test_a_cancellation_is_never_matched_by_metadata(client, calcom, booking, calcom_meeting):
    # Mockri cancels stale Cal.com bookings of a session itself: only the uid may match.
    calcom_meeting("a-uid-of-its-own")
    body = calcom_body_with("BOOKING_CANCELLED", metadata=ours(booking))

    deliver(client, body)

    assert WebhookDelivery.objects.get().outcome == "unknown booking"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancelling_the_previous_interviewers_booking_leaves_the_moved_session_alone(
    client, calcom, booking, calcom_meeting, free_type, staff, other_profile
):
    calcom_meeting("unique-booking-identifier")
    free_type.interviewers.add(other_profile)
    booking_reassign(booking, staff_user=staff, interviewer=other_profile)

    # Mockri's own cancellation, while it moves the meeting to the new interviewer.
    deliver(client, calcom_body("BOOKING_CANCELLED"))

    assert WebhookDelivery.objects.get().outcome == (
        "ignored: the Cal.com booking of the session's previous interviewer"
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Meeting.objects.get().status == MeetingStatus.READY
