from django.tasks import task

from . import emails


@task
def feedback_request_plan_task(*, booking_id: int) -> None:
    emails.feedback_request_plan(booking_id=booking_id)


@task
def feedback_request_send_task(*, booking_id: int, ends_at: str) -> None:
    emails.feedback_request_send(booking_id=booking_id, ends_at=ends_at)


@task
def rate_interviewer_email_task(*, booking_id: int) -> None:
    emails.rate_interviewer_email(booking_id=booking_id)
