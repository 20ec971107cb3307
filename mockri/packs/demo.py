"""Demo packs for `manage.py seed_demo`, a coupon for packs, and a demo candidate who bought one
with it (through the test gateway's real path: order, checkout, recorded payment, granted
credits). Running it twice changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from mockri.catalogue.demo import _ensure_links, _ensure_row, _ensure_user
from mockri.catalogue.models import InterviewType
from mockri.coupons.enums import CouponKind
from mockri.coupons.models import Coupon
from mockri.payments.gateways.fake import TestGateway
from mockri.payments.services import payment_order_for_pack, payment_record

from .models import Pack
from .services import pack_purchase_grant, pack_purchase_start

PACKS = [
    {
        "slug": "coding-loop-3",
        "name": "Coding loop: 3 sessions",
        "description": "Three rounds of coding or system design before an onsite.",
        "sessions": 3,
        "price_paise": 399_900,
        "validity_days": 60,
        "types": ["coding-dsa", "system-design"],
    },
    {
        "slug": "full-loop-5",
        "name": "Full loop: 5 sessions",
        "description": "A whole interview loop: coding, design, behavioral and product rounds.",
        "sessions": 5,
        "price_paise": 699_900,
        "validity_days": 90,
        "types": ["coding-dsa", "system-design", "behavioral", "product-management"],
    },
]
DEMO_PACK_COUPON = "PACK10"
DEMO_PACK_CANDIDATE = {"email": "packs@mockri.test", "full_name": "Arnav Mehta"}


@transaction.atomic
def packs_seed_demo() -> list[tuple[str, str]]:
    """The demo packs, the pack coupon, and a candidate holding the 5-session pack bought with
    it. Returns their login."""
    packs = {}
    for spec in PACKS:
        values = {k: v for k, v in spec.items() if k not in ("slug", "types")}
        pack = _ensure_row(Pack, lookup={"slug": spec["slug"]}, values=values)
        _ensure_links(
            pack.interview_types, list(InterviewType.objects.filter(slug__in=spec["types"]))
        )
        packs[spec["slug"]] = pack
    Coupon.objects.get_or_create(
        code=DEMO_PACK_COUPON,
        defaults={
            "description": "10% off a session pack",
            "kind": CouponKind.PERCENT,
            "percent_off": 10,
            "applies_to_sessions": False,
            "applies_to_packs": True,
            "starts_at": timezone.now() - datetime.timedelta(days=1),
            "max_uses": 500,
        },
    )
    candidate = _ensure_user(**DEMO_PACK_CANDIDATE)
    if not candidate.pack_purchases.filter(granted_at__isnull=False).exists():
        purchase = pack_purchase_start(
            candidate=candidate, pack=packs["full-loop-5"], coupon_code=DEMO_PACK_COUPON
        )
        gateway = TestGateway()
        payment = payment_order_for_pack(purchase=purchase, gateway=gateway)
        paid, _, _ = gateway.checkout(payment.order_ref, succeed=True)
        payment_record(info=paid)
        pack_purchase_grant(payment_id=payment.pk)
    return [("candidate with a pack", DEMO_PACK_CANDIDATE["email"])]
