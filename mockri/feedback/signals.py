from django.dispatch import receiver

from mockri.bookings.signals import booking_changed, booking_completed, booking_confirmed

from .tasks import feedback_request_plan_task, rate_interviewer_email_task


@receiver(booking_confirmed)
@receiver(booking_changed)
def plan_the_feedback_request(sender, booking, **kwargs):
    # A moved session's request is planned again for its new end.
    feedback_request_plan_task.enqueue(booking_id=booking.pk)


@receiver(booking_completed)
def ask_the_candidate_for_a_rating(sender, booking, **kwargs):
    rate_interviewer_email_task.enqueue(booking_id=booking.pk)
