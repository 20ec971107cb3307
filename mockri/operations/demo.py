"""Console demo data for `seed_demo`: a fortnight of booking-step page views, so the metrics'
conversion has figures, and one failed email to the demo candidate, so the needs-attention
queue and the email log have something to resend, and a privacy request from the demo
candidate due in three days, for the requests page and the queue, and a goodwill refund the
bank refused, for the console's "Retry the refund" (on the demo candidate's paid session when
invoicing made one, else on the demo pack purchase). Applying it twice changes nothing."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from mockri.accounts.models import User
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Refund
from mockri.payments.services import refund_status_advance
from mockri.privacy.models import Grievance, GrievanceKind

from .models import FunnelDay, FunnelStep

# Page views per day: slot pickers, then details forms (a made-up, steady fortnight).
DEMO_FUNNEL = {FunnelStep.PICKER_VIEWED: 40, FunnelStep.DETAILS_VIEWED: 9}
DEMO_EMAIL_KEY = "demo:failed-welcome"
DEMO_GRIEVANCE_REFERENCE = "GRV-DEMO01"
DEMO_REFUND_KEY = "mockri-refund-demo-goodwill"
DEMO_REFUND_PAISE = 20_000


def console_seed_demo(*, candidate_email: str) -> None:
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    for days_ago in range(14):
        day = today - datetime.timedelta(days=days_ago)
        for step, count in DEMO_FUNNEL.items():
            FunnelDay.objects.get_or_create(
                day=day, step=step, defaults={"count": count + days_ago % 5}
            )
    candidate = User.objects.filter(email=candidate_email).first()
    if candidate is None:
        return
    # Sent signed in, so it is the owner's and staff can act on it from its console page.
    Grievance.objects.get_or_create(
        reference=DEMO_GRIEVANCE_REFERENCE,
        defaults={
            "user": candidate,
            "name": candidate.full_name,
            "email": candidate.email,
            "kind": GrievanceKind.ACCESS,
            "message": "Please send me a copy of everything you hold about me.",
            "due_at": timezone.now() + datetime.timedelta(days=3),
            "verified_at": timezone.now(),
        },
    )
    _failed_refund_seed_demo(candidate)
    if OutboxEmail.objects.filter(dedupe_key=DEMO_EMAIL_KEY).exists():
        return
    OutboxEmail.objects.create(
        kind="payment_receipt",
        recipient=candidate,
        to_address=candidate.email,
        dedupe_key=DEMO_EMAIL_KEY,
        subject="Your Mockri receipt",
        text_body="Thanks for your payment.",
        html_body="<p>Thanks for your payment.</p>",
        status=OutboxStatus.FAILED,
        attempts=5,
        last_error="Demo: the provider refused the message (example).",
    )


def _failed_refund_seed_demo(candidate: User) -> None:
    """A failed goodwill refund of a payment made through the test gateway (whose own books
    hold the payment, so the console's retry goes through its real path)."""
    if Refund.objects.filter(idempotency_key=DEMO_REFUND_KEY).exists():
        return
    paid = Payment.objects.filter(gateway="test", status=PaymentStatus.CAPTURED)
    payment = (
        paid.filter(booking__candidate=candidate).first()
        or paid.filter(pack_purchase__isnull=False).first()
    )
    if payment is None:
        return
    refund = Refund.objects.create(
        payment=payment,
        idempotency_key=DEMO_REFUND_KEY,
        amount_paise=min(DEMO_REFUND_PAISE, payment.amount_paise),
        reason="Demo: goodwill for a late start; the bank refused it (example).",
    )
    refund_status_advance(refund, to=RefundStatus.FAILED)
