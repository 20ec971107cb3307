"""make run's coupons and tax invoice: WELCOME20 for the candidate to try, and one session the
demo candidate booked with FESTIVE10 and paid through the test gateway, so an invoice (demo
GSTIN, IGST to Karnataka) is there to open."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.selectors import availabilities_for
from mockri.bookings.services import booking_create
from mockri.catalogue.models import InterviewType
from mockri.coupons.enums import CouponKind
from mockri.coupons.models import Coupon
from mockri.coupons.services import coupon_apply
from mockri.payments.gateways.fake import TestGateway
from mockri.payments.services import payment_order_for, payment_record
from mockri.scheduling.slots import open_slots

from .models import Invoice
from .services import buyer_details_save, invoice_issue, invoicing_enabled

DEMO_COUPON = "WELCOME20"
SEEDED_COUPON = "FESTIVE10"


def _coupon(code: str, percent: int, description: str) -> Coupon:
    coupon, _ = Coupon.objects.get_or_create(
        code=code,
        defaults={
            "description": description,
            "kind": CouponKind.PERCENT,
            "percent_off": percent,
            "starts_at": timezone.now() - datetime.timedelta(days=1),
            "max_uses": 500,
            "max_uses_per_candidate": 1,
        },
    )
    return coupon


def invoices_seed_demo(*, candidate_email: str) -> Invoice | None:
    """One paid session with the demo coupon and its invoice, once (None when invoicing is off
    or no slot is open)."""
    candidate = User.objects.get(email=candidate_email)
    _coupon(DEMO_COUPON, 20, "20% off a mock interview, once per candidate")
    coupon = _coupon(SEEDED_COUPON, 10, "10% festive offer")
    if not invoicing_enabled():
        return None
    existing = Invoice.objects.filter(payment__booking__candidate=candidate).first()
    if existing is not None:
        return existing
    interview_type = InterviewType.objects.filter(price_paise__gt=0, is_active=True).first()
    if interview_type is None:
        return None
    now = timezone.now()
    for profile in interview_type.interviewers.select_related("user"):
        (availability,) = availabilities_for(interviewers=[profile], now=now)
        slots = open_slots(
            availability,
            duration=datetime.timedelta(minutes=interview_type.duration_minutes),
            now=now,
        )
        if slots:
            break
    else:
        return None
    with transaction.atomic():
        booking = booking_create(
            candidate=candidate,
            interview_type=interview_type,
            interviewer=profile,
            starts_at=slots[-1].start,
            job_description_text="Demo: a backend role at a product company.",
            idempotency_key=uuid.uuid4(),
        )
        buyer_details_save(booking=booking, place_of_supply="29")  # Karnataka: IGST
        coupon_apply(booking=booking, code=coupon.code)
    gateway = TestGateway()
    payment = payment_order_for(booking=booking, gateway=gateway)
    if payment is None:
        return None
    paid, _, _ = gateway.checkout(payment.order_ref, succeed=True)
    payment_record(info=paid)
    return invoice_issue(payment_id=payment.pk)
