"""The rules of a pack's credit ledger, as pure functions over its entries: no database, so the
property tests (tests/packs/test_ledger.py) can run thousands of sequences.

A purchase's balance is the sum of its entries. Credits are granted once; a use takes one; a
return (a cancellation inside the policy) gives that one back; expiry and a refund take all that
is left. The balance never goes below zero nor above the pack's size.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from mockri.lib.errors import PolicyViolation

from .enums import CREDIT_ADDING, CreditKind


@dataclass(frozen=True)
class Move:
    kind: CreditKind
    credits: int  # signed: what the entry adds to the balance


def balance(entries: Iterable[Move]) -> int:
    return sum(entry.credits for entry in entries)


def _signed(kind: CreditKind, count: int) -> Move:
    return Move(kind, count if kind in CREDIT_ADDING else -count)


def grant(entries: list[Move], *, sessions: int) -> Move:
    if any(entry.kind == CreditKind.GRANTED for entry in entries):
        raise PolicyViolation("This pack's credits were granted already.")
    return _signed(CreditKind.GRANTED, sessions)


def use(entries: list[Move]) -> Move:
    if balance(entries) < 1:
        raise PolicyViolation("This pack has no credits left.")
    return _signed(CreditKind.USED, 1)


def give_back(entries: list[Move], *, sessions: int) -> Move:
    """A credit used for a session comes back (one used, not yet returned, must exist)."""
    used = sum(1 for e in entries if e.kind == CreditKind.USED)
    returned = sum(1 for e in entries if e.kind == CreditKind.RETURNED)
    if returned >= used or balance(entries) >= sessions:
        raise PolicyViolation("There is no used credit to return.")
    return _signed(CreditKind.RETURNED, 1)


def take_all(entries: list[Move], *, kind: CreditKind) -> Move | None:
    """Expiry or a refund: everything left goes; None when nothing is left."""
    left = balance(entries)
    return _signed(kind, left) if left > 0 else None
