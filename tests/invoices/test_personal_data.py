"""A person's tax invoices and billing details in their export; after an erasure the invoices
(kept by law) stay and the billing details go."""

import pytest

from mockri.coupons import personal_data as coupon_data
from mockri.coupons.enums import CouponKind
from mockri.coupons.models import Coupon
from mockri.coupons.services import coupon_apply
from mockri.invoices import personal_data
from mockri.invoices.models import BuyerDetails, Invoice
from mockri.invoices.services import buyer_details_save, invoice_issue
from mockri.privacy.registry import ExportArchive

pytestmark = pytest.mark.django_db


def test_the_export_holds_invoices_billing_details_and_coupon_uses(
    gst, book, candidate, paid_type, profile, pay, now
):
    Coupon.objects.create(code="WELCOME20", kind=CouponKind.PERCENT, percent_off=20, starts_at=now)
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    buyer_details_save(booking=booking, place_of_supply="29", gstin="29AAGCB7383J1Z4")
    coupon_apply(booking=booking, code="WELCOME20")
    invoice = invoice_issue(payment_id=pay(booking).pk)

    exported = personal_data.export(user=candidate, archive=ExportArchive())
    coupons = coupon_data.export(user=candidate, archive=ExportArchive())

    assert exported["billing_details"] == [
        {"booking": booking.reference, "place_of_supply": "29", "gstin": "29AAGCB7383J1Z4"}
    ]
    assert [row["number"] for row in exported["tax_invoices"]] == [invoice.number]
    assert exported["tax_invoices"][0]["total_paise"] == 159_920
    assert coupons["coupon_redemptions"][0]["discount_paise"] == 39_980

    personal_data.erase(user=candidate, now=now)

    assert not BuyerDetails.objects.exists()
    assert Invoice.objects.get().buyer_gstin == "29AAGCB7383J1Z4"
