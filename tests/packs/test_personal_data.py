"""A person's packs are in their export (with the payments for them), and are kept as payment
records after an erasure."""

import pytest

from mockri.packs import personal_data
from mockri.packs.models import CreditEntry, PackPurchase
from mockri.packs.services import booking_pay_with_credit
from mockri.payments import personal_data as payments_data
from mockri.privacy.registry import ExportArchive
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


def test_the_export_holds_each_pack_and_every_movement_of_its_credits(
    candidate, other_candidate, pack, buy, book, paid_type
):
    purchase = buy(candidate=candidate, pack=pack)
    buy(candidate=other_candidate, pack=pack)
    booking = booking_pay_with_credit(
        booking=book(candidate=candidate, interview_type=paid_type), candidate=candidate
    )

    (exported,) = personal_data.export(user=candidate, archive=ExportArchive())["pack_purchases"]
    payments = payments_data.export(user=candidate, archive=ExportArchive())["payments"]

    assert exported["reference"] == purchase.reference
    assert (exported["pack"], exported["sessions"], exported["price_paise"]) == (
        "Design loop",
        3,
        300_000,
    )
    assert exported["credits"] == [
        {"kind": "granted", "credits": 3, "booking": None, "at": NOW},
        {"kind": "used", "credits": -1, "booking": booking.reference, "at": NOW},
    ]
    assert [(p["booking"], p["pack_purchase"]) for p in payments] == [(None, purchase.reference)]


def test_an_erasure_keeps_the_packs_as_payment_records(candidate, pack, buy):
    buy(candidate=candidate, pack=pack)

    personal_data.erase(user=candidate, now=NOW)

    assert PackPurchase.objects.filter(candidate=candidate).count() == 1
    assert CreditEntry.objects.count() == 1
