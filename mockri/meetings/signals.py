"""The booking's lifecycle drives its meeting; each receiver only queues a task (signals are
sent once the booking's change is committed)."""

from django.dispatch import receiver

from mockri.bookings.signals import booking_cancelled, booking_changed, booking_confirmed

from .tasks import meeting_cancel_task, meeting_create_task, meeting_update_task


@receiver(booking_confirmed)
def make_the_meeting(sender, booking, **kwargs):
    meeting_create_task.enqueue(booking_id=booking.pk)


@receiver(booking_changed)
def move_the_meeting(sender, booking, **kwargs):
    meeting_update_task.enqueue(booking_id=booking.pk)


@receiver(booking_cancelled)
def cancel_the_meeting(sender, booking, **kwargs):
    meeting_cancel_task.enqueue(booking_id=booking.pk)
