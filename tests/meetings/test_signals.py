"""The booking's lifecycle queues the meeting's tasks, once the change is committed."""

import pytest

from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.services import (
    booking_cancel,
    booking_confirm_payment,
    booking_reassign,
    booking_reschedule,
)
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.selectors import meeting_current_link_for
from mockri.meetings.tasks import meeting_cancel_task, meeting_create_task
from tests.fixtures import SLOT_BOTH
from tests.meetings.conftest import meeting_task_names, run_meeting_tasks


def test_confirming_a_free_booking_queues_the_meeting(
    now, candidate, profile, free_type, book, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    assert booking.status == BookingStatus.CONFIRMED
    assert meeting_task_names(task_queue) == ["meeting_create_task"]
    (queued,) = [r for r in task_queue.enqueued if r.task.name == "meeting_create_task"]
    assert queued.kwargs == {"booking_id": booking.pk}


def test_the_queued_task_gives_the_session_its_link(
    now, candidate, profile, free_type, book, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    run_meeting_tasks(task_queue)

    assert meeting_current_link_for(booking).startswith("https://meet.jit.si/mockri-")


def test_a_held_booking_gets_no_meeting_until_it_is_paid(
    now, candidate, profile, paid_type, book, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    assert meeting_task_names(task_queue) == []

    with django_capture_on_commit_callbacks(execute=True):
        booking_confirm_payment(booking)

    assert meeting_task_names(task_queue) == ["meeting_create_task"]


def test_cancelling_queues_the_cancellation(
    booking, candidate, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    assert meeting_task_names(task_queue) == ["meeting_cancel_task"]


def test_moving_queues_the_update(
    booking, interviewer, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(
            booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
        )

    assert meeting_task_names(task_queue) == ["meeting_update_task"]


def test_reassigning_queues_the_update(
    booking, free_type, staff, other_profile, task_queue, django_capture_on_commit_callbacks
):
    free_type.interviewers.add(other_profile)

    with django_capture_on_commit_callbacks(execute=True):
        booking_reassign(booking, staff_user=staff, interviewer=other_profile)

    assert meeting_task_names(task_queue) == ["meeting_update_task"]


@pytest.mark.parametrize("first", ["cancel", "create"])
def test_a_session_cancelled_before_its_meeting_was_made_ends_with_no_live_meeting(
    booking, candidate, first
):
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")
    tasks = [meeting_cancel_task, meeting_create_task]
    for task in tasks if first == "cancel" else reversed(tasks):
        task.call(booking_id=booking.pk)

    assert meeting_current_link_for(booking) == ""
    live = Meeting.objects.filter(booking=booking).exclude(status=MeetingStatus.CANCELLED)
    assert not live.exists()
