"""The ledger's rules, over any sequence of movements (hypothesis): the balance is the sum of
the entries, never below zero nor above the pack's size, and equals granted - used + returned -
expired - refunded."""

from hypothesis import given, settings
from hypothesis import strategies as st

from mockri.lib.errors import PolicyViolation
from mockri.packs import ledger
from mockri.packs.enums import CreditKind

ACTIONS = st.lists(st.sampled_from(["use", "give_back", "expire", "refund", "grant"]), max_size=40)


def apply(entries: list[ledger.Move], action: str, *, sessions: int) -> None:
    try:
        if action == "grant":
            move = ledger.grant(entries, sessions=sessions)
        elif action == "use":
            move = ledger.use(entries)
        elif action == "give_back":
            move = ledger.give_back(entries, sessions=sessions)
        else:
            kind = CreditKind.EXPIRED if action == "expire" else CreditKind.REFUNDED
            move = ledger.take_all(entries, kind=kind)
    except PolicyViolation:
        return
    if move is not None:
        entries.append(move)


@settings(deadline=None)  # pure, but the machine may be busy
@given(sessions=st.integers(min_value=1, max_value=10), actions=ACTIONS)
def test_the_balance_is_the_sum_and_stays_within_the_pack(sessions, actions):
    entries = [ledger.grant([], sessions=sessions)]
    for action in actions:
        apply(entries, action, sessions=sessions)
        balance = ledger.balance(entries)
        assert 0 <= balance <= sessions
        assert balance == sum(entry.credits for entry in entries)
        by_kind = {kind: sum(e.credits for e in entries if e.kind == kind) for kind in CreditKind}
        assert balance == (
            by_kind[CreditKind.GRANTED]
            + by_kind[CreditKind.USED]
            + by_kind[CreditKind.RETURNED]
            + by_kind[CreditKind.EXPIRED]
            + by_kind[CreditKind.REFUNDED]
        )
    assert sum(1 for e in entries if e.kind == CreditKind.GRANTED) == 1


@settings(deadline=None)  # pure, but the machine may be busy
@given(sessions=st.integers(min_value=1, max_value=10), actions=ACTIONS)
def test_a_credit_comes_back_only_after_one_was_used(sessions, actions):
    entries = [ledger.grant([], sessions=sessions)]
    for action in actions:
        apply(entries, action, sessions=sessions)
        used = sum(1 for e in entries if e.kind == CreditKind.USED)
        returned = sum(1 for e in entries if e.kind == CreditKind.RETURNED)
        assert returned <= used


@settings(deadline=None)  # pure, but the machine may be busy
@given(sessions=st.integers(min_value=1, max_value=10), actions=ACTIONS)
def test_every_entry_has_the_sign_of_its_kind(sessions, actions):
    entries = [ledger.grant([], sessions=sessions)]
    for action in actions:
        apply(entries, action, sessions=sessions)
    for entry in entries:
        adds = entry.kind in (CreditKind.GRANTED, CreditKind.RETURNED)
        assert (entry.credits > 0) if adds else (entry.credits < 0)


def test_expiry_takes_everything_left_and_nothing_from_an_empty_pack():
    entries = [ledger.grant([], sessions=3), ledger.use([ledger.Move(CreditKind.GRANTED, 3)])]

    assert ledger.take_all(entries, kind=CreditKind.EXPIRED) == ledger.Move(CreditKind.EXPIRED, -2)
    assert (
        ledger.take_all([*entries, ledger.Move(CreditKind.EXPIRED, -2)], kind=CreditKind.EXPIRED)
        is None
    )
