"""The lifecycle signals: sent inside the change's transaction, their receivers only queue tasks,
and the table in bookings/signals.py says which. A change commits with all its jobs or not at
all; the jobs are checked on django-tasks-db itself, where they are rows of the same database."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from mockri.bookings import signals as booking_signals
from mockri.bookings.enums import Actor, BookingStatus, RefundDecision
from mockri.bookings.models import Booking, BookingEvent
from mockri.bookings.services import booking_cancel, booking_confirm_payment
from mockri.meetings import signals as meeting_signals
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.services import meeting_create_for
from mockri.notifications.services import MEETING_LINK_WAIT
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment, Receipt, Refund
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DEFERRED = " *"  # the table's mark for a task queued MEETING_LINK_WAIT later


def table() -> list[tuple[str, str, str]]:
    """(signal, receiver, task) rows of the table in bookings/signals.py's docstring."""
    rows = []
    for line in booking_signals.__doc__.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 3 and cells[0] != "signal":
            rows.append(tuple(cells))
    return rows


LIFECYCLE = {
    "booking_confirmed": (booking_signals.booking_confirmed, Booking),
    "booking_changed": (booking_signals.booking_changed, Booking),
    "booking_cancelled": (booking_signals.booking_cancelled, Booking),
    "booking_completed": (booking_signals.booking_completed, Booking),
    "booking_no_show": (booking_signals.booking_no_show, Booking),
    "meeting_ready": (meeting_signals.meeting_ready, Meeting),
    "meeting_link_missing": (meeting_signals.meeting_link_missing, Meeting),
}


def receivers_of(signal, sender) -> dict[str, object]:
    """The receivers connected to `signal` for `sender`, by "app.function"."""
    sync_receivers, async_receivers = signal._live_receivers(sender)
    assert async_receivers == []
    return {f"{r.__module__.split('.')[1]}.{r.__name__}": r for r in sync_receivers}


def expected(*, signal: str, receiver: str | None = None) -> list[str]:
    return [
        task
        for row_signal, row_receiver, task in table()
        if row_signal == signal and receiver in (None, row_receiver)
    ]


def queued(task_queue) -> list[str]:
    """Queued task names, with the table's mark on those deferred by MEETING_LINK_WAIT."""
    return [
        r.task.name + (DEFERRED if r.task.run_after == NOW + MEETING_LINK_WAIT else "")
        for r in task_queue.enqueued
    ]


@pytest.fixture
def confirmed(now, candidate, profile, free_type, book, task_queue):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    task_queue.backend.clear()
    return booking


@pytest.fixture
def argument(confirmed):
    """What each signal is sent with."""
    meeting = Meeting.objects.create(
        booking=confirmed, provider="jitsi", url="https://meet.jit.si/mockri-abc"
    )
    return {Booking: {"booking": confirmed}, Meeting: {"meeting": meeting}}


def test_the_table_covers_every_receiver_of_every_lifecycle_signal():
    in_table = {(signal, receiver) for signal, receiver, _ in table() if signal in LIFECYCLE}

    connected = {
        (name, receiver)
        for name, (signal, sender) in LIFECYCLE.items()
        for receiver in receivers_of(signal, sender)
    }

    assert connected == in_table
    assert {signal for signal, _, _ in table()} == {*LIFECYCLE, "Receipt created", "Refund created"}


@pytest.mark.parametrize(
    ("name", "receiver"),
    sorted({(signal, receiver) for signal, receiver, _ in table() if signal in LIFECYCLE}),
)
def test_each_receiver_only_queues_the_tasks_the_table_gives_it(
    name, receiver, argument, task_queue, django_assert_num_queries
):
    signal, sender = LIFECYCLE[name]
    connected = receivers_of(signal, sender)[receiver]

    with transaction.atomic(), django_assert_num_queries(0):  # nothing read, nothing written
        connected(signal=signal, sender=sender, **argument[sender])

    assert queued(task_queue) == expected(signal=name, receiver=receiver)


@pytest.mark.parametrize("name", sorted(LIFECYCLE))
def test_sending_a_signal_queues_the_tables_tasks_in_the_same_transaction(
    name, argument, task_queue
):
    signal, sender = LIFECYCLE[name]

    with transaction.atomic():
        signal.send(sender=sender, **argument[sender])
        assert sorted(queued(task_queue)) == sorted(expected(signal=name))


def test_a_new_receipt_queues_its_email(confirmed, task_queue):
    payment = Payment.objects.create(
        booking=confirmed, gateway="test", order_ref="order_Receipt0001", amount_paise=100
    )

    with transaction.atomic():
        Receipt.objects.create(payment=payment)
        assert queued(task_queue) == expected(signal="Receipt created")


def test_a_new_refund_queues_the_reversal_of_its_sessions_credit(confirmed, task_queue):
    payment = Payment.objects.create(
        booking=confirmed, gateway="test", order_ref="order_Refund0001", amount_paise=100
    )

    with transaction.atomic():
        Refund.objects.create(payment=payment, idempotency_key="mockri-refund-1", amount_paise=100)
        assert queued(task_queue) == expected(signal="Refund created")


# --- On the real queue -----------------------------------------------------------------------


@pytest.fixture
def database_queue(settings):
    """Switch the default task backend to django-tasks-db; returns the queued task names."""

    def switch():
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        }
        return lambda: sorted(
            path.rsplit(".", 1)[1] for path in jobs().values_list("task_path", flat=True)
        )

    return switch


def jobs():
    return DBTaskResult.objects.all()


@pytest.fixture
def paid(now, candidate, profile, paid_type, book, task_queue):
    """A confirmed session paid in full, more than 24 hours ahead."""
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    Payment.objects.create(
        booking=booking,
        gateway="test",
        order_ref="order_Paid0001",
        payment_ref="pay_Paid0001",
        amount_paise=booking.price_paise,
        status=PaymentStatus.CAPTURED,
    )
    booking = booking_confirm_payment(booking)
    task_queue.backend.clear()
    return booking


def test_a_cancellation_commits_together_with_its_refund_meeting_and_email_tasks(
    paid, candidate, database_queue
):
    queued_jobs = database_queue()

    with transaction.atomic():
        booking_cancel(paid, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    paid.refresh_from_db()
    assert (paid.status, paid.refund_decision) == (BookingStatus.CANCELLED, RefundDecision.FULL)
    assert queued_jobs() == [
        "booking_cancelled_emails_task",
        "credit_return_task",
        "meeting_cancel_task",
        "refund_for_cancellation_task",
        "reliability_review_task",
    ]


class Broken(Exception):
    pass


def _raise(**kwargs):
    raise Broken("a receiver failed")


@pytest.mark.parametrize("failing", ["the payments receiver", "a receiver after all others"])
def test_a_receiver_that_raises_undoes_the_cancellation_and_every_job(
    paid, candidate, database_queue, monkeypatch, failing
):
    queued_jobs = database_queue()
    if failing == "the payments receiver":
        # Connected first (payments comes first of the receiving apps), as in the outside review.
        monkeypatch.setattr(
            "mockri.payments.signals.refund_for_cancellation_task",
            type("Failing", (), {"enqueue": staticmethod(_raise)}),
        )
    else:
        booking_signals.booking_cancelled.connect(_raise, weak=False)
    try:
        with pytest.raises(Broken):
            booking_cancel(paid, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")
    finally:
        booking_signals.booking_cancelled.disconnect(_raise)

    paid.refresh_from_db()
    assert (paid.status, paid.cancelled_at) == (BookingStatus.CONFIRMED, None)
    assert not BookingEvent.objects.filter(booking=paid, to_status=BookingStatus.CANCELLED).exists()
    assert queued_jobs() == []


def test_a_receiver_that_raises_undoes_a_free_booking_and_its_jobs(
    now, candidate, profile, free_type, book, database_queue
):
    queued_jobs = database_queue()
    booking_signals.booking_confirmed.connect(_raise, weak=False)
    try:
        with pytest.raises(Broken):
            book(candidate=candidate, interview_type=free_type, interviewer=profile)
    finally:
        booking_signals.booking_confirmed.disconnect(_raise)

    assert not Booking.objects.exists()
    assert queued_jobs() == []


def test_a_change_with_no_failing_receiver_commits_its_meeting_link_and_its_email_job(
    confirmed, database_queue
):
    queued_jobs = database_queue()

    meeting = meeting_create_for(booking_id=confirmed.pk)

    assert meeting.status == MeetingStatus.READY
    assert queued_jobs() == ["meeting_ready_emails_task"]
