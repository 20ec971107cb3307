"""The booking's lifecycle drives its meeting; each receiver only queues a task, in the
transaction of the booking's change (the table in bookings/signals.py). The meeting in turn
announces when it is ready.
Tasks are imported inside the receivers: services import this module to send meeting_ready,
and the tasks import the services."""

from django.dispatch import Signal, receiver

from mockri.bookings.signals import booking_cancelled, booking_changed, booking_confirmed

# A confirmed booking's meeting has a link to join it, for the booking's current time and
# interviewer: made, moved, found changed at the provider, or fallen back to another provider.
# Sent in the transaction that stores the link, with `meeting` (receivers re-read by
# `meeting.booking_id`). Notifications waits for it to email the link; it may come more than
# once for one link.
meeting_ready = Signal()

# Every provider failed to give a confirmed session its link (status no_link): staff must make
# one. Sent in the transaction that records it, with `meeting`; notifications emails staff.
meeting_link_missing = Signal()


@receiver(booking_confirmed)
def make_the_meeting(sender, booking, **kwargs):
    from .tasks import meeting_create_task  # noqa: PLC0415 — a cycle: the tasks import the services, which import this module

    meeting_create_task.enqueue(booking_id=booking.pk)


@receiver(booking_changed)
def move_the_meeting(sender, booking, **kwargs):
    from .tasks import meeting_update_task  # noqa: PLC0415 — a cycle: the tasks import the services, which import this module

    meeting_update_task.enqueue(booking_id=booking.pk)


@receiver(booking_cancelled)
def cancel_the_meeting(sender, booking, **kwargs):
    from .tasks import meeting_cancel_task  # noqa: PLC0415 — a cycle: the tasks import the services, which import this module

    meeting_cancel_task.enqueue(booking_id=booking.pk)
