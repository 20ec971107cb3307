"""Delivering what the outbox queued, for tests of flows that send email (sign-up, password
reset...): the email is an outbox row whose send task is queued once the change commits."""

from contextlib import contextmanager

from django.tasks import task_backends
from django.test import TestCase
from django.utils import timezone


@contextmanager
def emails_sent():
    """Run the block, with what it queues on commit, then send the emails it queued as the
    outbox worker would (into django.core.mail.outbox). Other queued tasks stay queued."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    send_queued_emails()


def send_queued_emails() -> None:
    """Run the email sends that are due (a retry waits for its time, as in a worker)."""
    backend = task_backends["default"]
    while sends := [r for r in backend.results if _is_due_send(r)]:
        for result in sends:
            backend.results.remove(result)
            result.task.call(*result.args, **result.kwargs)


def _is_due_send(result) -> bool:
    run_after = result.task.run_after
    return result.task.name == "outbox_send_task" and (
        run_after is None or run_after <= timezone.now()
    )
