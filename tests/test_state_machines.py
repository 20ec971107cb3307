"""One transition path per state machine: bookings, payments, refunds and meetings each change
status through one checked function, and a scan of the source finds no other writer."""

import ast
import itertools
from pathlib import Path

import pytest

from mockri.lib.errors import InvalidTransition
from mockri.meetings.enums import MEETING_TRANSITIONS, MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.services import meeting_transition
from mockri.payments.enums import PAYMENT_RANK, REFUND_RANK, PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Refund
from mockri.payments.services import payment_status_advance, refund_status_advance

SOURCE = Path(__file__).resolve().parent.parent / "mockri"

# --- The transitions ---------------------------------------------------------------------------


@pytest.fixture
def booking(db, now, candidate, profile, paid_type, book):
    return book(candidate=candidate, interview_type=paid_type, interviewer=profile)


def _with_status(model, row, status):
    model.objects.filter(pk=row.pk).update(status=status)  # arranging, not a transition
    row.refresh_from_db()
    return row


def pairs(states, allowed):
    """(from, to, allowed) for every ordered pair of different states."""
    return [(a, b, allowed(a, b)) for a, b in itertools.permutations(states, 2)]


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    pairs(PaymentStatus, lambda a, b: PAYMENT_RANK[b] > PAYMENT_RANK[a]),
)
def test_a_payment_moves_only_forward(booking, old, new, allowed):
    payment = Payment.objects.create(
        booking=booking, gateway="test", order_ref="order_States0001", amount_paise=100
    )
    payment = _with_status(Payment, payment, old)

    moved = payment_status_advance(payment, to=new, method="upi")

    payment.refresh_from_db()
    assert moved is allowed
    assert (payment.status, payment.method) == ((new, "upi") if allowed else (old, ""))


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    pairs(RefundStatus, lambda a, b: REFUND_RANK[b] > REFUND_RANK[a]),
)
def test_a_refund_moves_only_forward(booking, old, new, allowed):
    payment = Payment.objects.create(
        booking=booking, gateway="test", order_ref="order_States0001", amount_paise=100
    )
    refund = Refund.objects.create(payment=payment, idempotency_key="k-1", amount_paise=100)
    refund = _with_status(Refund, refund, old)

    moved = refund_status_advance(refund, to=new)

    refund.refresh_from_db()
    assert moved is allowed
    assert refund.status == (new if allowed else old)


def test_a_stale_payment_never_moves_a_later_status_back(booking):
    payment = Payment.objects.create(
        booking=booking, gateway="test", order_ref="order_States0001", amount_paise=100
    )
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.REFUNDED)  # meanwhile

    assert payment_status_advance(payment, to=PaymentStatus.CAPTURED) is False

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    pairs(MeetingStatus, lambda a, b: b in MEETING_TRANSITIONS[a]),
)
def test_a_meeting_moves_only_as_its_table_allows(booking, old, new, allowed):
    meeting = Meeting.objects.create(booking=booking, provider="jitsi")
    meeting = _with_status(Meeting, meeting, old)

    if allowed:
        assert meeting_transition(meeting, to=new, attempts=2) is True
    else:
        with pytest.raises(InvalidTransition):
            meeting_transition(meeting, to=new, attempts=2)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.attempts) == ((new, 2) if allowed else (old, 0))


def test_a_meeting_changed_meanwhile_loses_the_race_and_keeps_the_winners_status(booking):
    meeting = Meeting.objects.create(booking=booking, provider="jitsi")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)  # meanwhile

    assert meeting_transition(meeting, to=MeetingStatus.READY, url="https://x.test/") is False

    meeting.refresh_from_db()
    assert (meeting.status, meeting.url) == (MeetingStatus.CANCELLED, "")


def test_the_meeting_table_covers_every_status():
    assert set(MEETING_TRANSITIONS) == set(MeetingStatus)
    assert all(targets <= set(MeetingStatus) for targets in MEETING_TRANSITIONS.values())


# --- No other writer ---------------------------------------------------------------------------

MODELS = {"Booking", "Payment", "Refund", "Meeting"}
# Related managers that reach those models from another row (booking.payments, ...).
RELATED = {"payments", "refunds", "meeting", "bookings"}
INSTANCES = {"booking", "payment", "refund", "meeting"}
WRITES = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}
# The one writer of each status, and where a booking is first stored in its initial status.
SETTERS = {
    ("bookings/services.py", "booking_transition"),
    ("bookings/services.py", "_insert_booking"),
    ("payments/services.py", "_status_advance"),
    ("meetings/services.py", "meeting_transition"),
    # seed_demo's past sessions, written as they happened: the services refuse past times.
    ("earnings/demo.py", "earnings_seed_demo"),
}


def _chain(node) -> set[str]:
    """The names along `a.b(...).c.d(...)`, to tell which model a query is on."""
    names = set()
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.add(node.id)
            return names
        else:
            return names


def _sets_status(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "status":
            return True
        if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict):
            keys = [k.value for k in keyword.value.keys if isinstance(k, ast.Constant)]
            if "status" in keys:
                return True
    return False


def status_writes(source: str) -> list[tuple[str, int]]:
    """(enclosing function, line) of each write of a booking's, payment's, refund's or
    meeting's status in `source`."""
    found = []

    def visit(node, function):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "status"
                    and isinstance(target.value, ast.Name)
                    and target.value.id in INSTANCES
                ):
                    found.append((function, node.lineno))
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in WRITES
                and _sets_status(node)
                and _chain(func.value) & (MODELS | RELATED)
            ):
                found.append((function, node.lineno))
            if (
                isinstance(func, ast.Name)
                and func.id == "setattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "status"
            ):
                found.append((function, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(source), "<module>")
    return found


def test_the_scan_finds_the_ways_a_status_can_be_written():
    source = """
def writer(payment, booking):
    Refund.objects.filter(pk=1).update(status="failed")
    payment.status = "captured"
    booking.payments.filter(pk=2).update(status="refunded", updated_at=None)
    Meeting.objects.filter(booking_id=1).exclude(status="cancelled").update(status="cancelled")
    Meeting.objects.update_or_create(booking=booking, defaults={"status": "ready"})
    setattr(booking, "status", "completed")
    OutboxEmail.objects.filter(pk=1).update(status="sent")  # another model: not counted
"""
    assert status_writes(source) == [("writer", line) for line in (3, 4, 5, 6, 7, 8)]


def test_only_the_setters_write_a_booking_payment_refund_or_meeting_status():
    writes = [
        f"{path.relative_to(SOURCE)}:{line} in {function}"
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        for function, line in status_writes(path.read_text())
        if (str(path.relative_to(SOURCE)), function) not in SETTERS
    ]

    assert writes == []
