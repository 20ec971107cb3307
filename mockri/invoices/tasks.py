from django.tasks import task

from .services import credit_note_issue, invoice_issue


@task
def invoice_issue_task(*, payment_id: int) -> None:
    invoice_issue(payment_id=payment_id)


@task
def credit_note_issue_task(*, refund_id: int) -> None:
    credit_note_issue(refund_id=refund_id)
