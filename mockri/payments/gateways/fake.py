"""The test gateway: Razorpay's contract, run locally so the whole payment path works offline.

Orders, payments and refunds live in TestGatewayRecord rows; the checkout is a local page
marked TEST MODE; callbacks and webhooks are signed with HMAC-SHA256 exactly as Razorpay signs
them (with secrets derived from SECRET_KEY), and its events are Razorpay-shaped JSON read by the
same code as Razorpay's.
"""

import hashlib
import hmac
import json
import secrets
import time

from django.db import transaction
from django.utils.crypto import salted_hmac

from ..models import TestGatewayRecord
from .base import GatewayError, Order, Payment, Refund, SignatureError, WebhookEvent
from .razorpay import event_from_json


def _secret(purpose: str) -> str:
    return salted_hmac(f"mockri.test-gateway.{purpose}", "secret", algorithm="sha256").hexdigest()


def sign(message: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(expected: str, given: str) -> bool:
    """Compare as bytes: compare_digest refuses a str with non-ASCII characters (a TypeError,
    so a 500), and anyone can send any header."""
    return bool(given) and hmac.compare_digest(
        expected.encode(), given.encode("utf-8", "surrogateescape")
    )


def _new_ref(prefix: str) -> str:
    return f"{prefix}_test{secrets.token_hex(7)}"


class TestGateway:
    name = "test"

    def __init__(self):
        self.key_secret = _secret("key")
        self.webhook_secret = _secret("webhook")

    # The provider's side ---------------------------------------------------------------

    def _load(self, ref: str, kind: str) -> dict:
        record = TestGatewayRecord.objects.filter(ref=ref, kind=kind).first()
        if record is None:
            raise GatewayError(f"The test gateway has no {kind} {ref}.", permanent=True)
        return record.data

    def _save(self, ref: str, kind: str, data: dict) -> None:
        TestGatewayRecord.objects.update_or_create(ref=ref, kind=kind, defaults={"data": data})

    def create_order(self, *, amount_paise: int, currency: str, receipt: str, notes: dict) -> Order:
        if amount_paise < 100:
            raise GatewayError("The amount must be at least INR 1.00", permanent=True)
        ref = _new_ref("order")
        data = {
            "id": ref,
            "amount": amount_paise,
            "currency": currency,
            "receipt": receipt,
            "status": "created",
            "payments": [],
        }
        self._save(ref, "order", data)
        return _order(data)

    def fetch_order(self, order_ref: str) -> Order:
        return _order(self._load(order_ref, "order"))

    def order_payments(self, order_ref: str) -> list[Payment]:
        order = self._load(order_ref, "order")
        return [self.fetch_payment(ref) for ref in order["payments"]]

    def fetch_payment(self, payment_ref: str) -> Payment:
        return _payment(self._load(payment_ref, "payment"))

    def capture_payment(self, payment_ref: str, *, amount_paise: int, currency: str) -> Payment:
        data = self._load(payment_ref, "payment")
        if data["status"] != "authorized":
            raise GatewayError("This payment has already been captured", permanent=True)
        data["status"] = "captured"
        self._save(payment_ref, "payment", data)
        return _payment(data)

    def refund(
        self, payment_ref: str, *, amount_paise: int, idempotency_key: str, notes: dict
    ) -> Refund:
        with transaction.atomic():
            existing = TestGatewayRecord.objects.filter(
                kind="refund", data__idempotency_key=idempotency_key
            ).first()
            if existing:
                return _refund(existing.data)
            payment = self._load(payment_ref, "payment")
            if amount_paise > payment["amount"] - payment["amount_refunded"]:
                raise GatewayError(
                    "The refund amount provided is greater than amount captured", permanent=True
                )
            ref = _new_ref("rfnd")
            data = {
                "id": ref,
                "payment_id": payment_ref,
                "amount": amount_paise,
                "currency": payment["currency"],
                "status": "processed",
                "idempotency_key": idempotency_key,
            }
            self._save(ref, "refund", data)
            payment["amount_refunded"] += amount_paise
            self._save(payment_ref, "payment", payment)
        return _refund(data)

    def fetch_refund(self, refund_ref: str) -> Refund:
        return _refund(self._load(refund_ref, "refund"))

    def verify_payment_signature(self, *, order_ref: str, payment_ref: str, signature: str) -> None:
        expected = sign(f"{order_ref}|{payment_ref}".encode(), self.key_secret)
        if not signature_matches(expected, signature):
            raise SignatureError()

    def parse_webhook(self, *, body: bytes, signature: str, event_id: str) -> WebhookEvent:
        if not signature_matches(sign(body, self.webhook_secret), signature):
            raise SignatureError()
        return event_from_json(body.decode("utf-8"), event_id)

    # The checkout page's side ------------------------------------------------------------

    def checkout(
        self, order_ref: str, *, succeed: bool, method: str = "upi"
    ) -> tuple[Payment, str, list[tuple]]:
        """What happens when the person presses Pay or Fail on the test checkout page, having
        chosen a payment `method` (one of CHECKOUT_METHODS).

        Returns the payment, the callback signature (Razorpay's handler would receive it) and
        the signed webhooks (body, signature, event id) Razorpay would then deliver.
        """
        order = self._load(order_ref, "order")
        if order["status"] == "paid":
            raise GatewayError("This order is already paid.", permanent=True)
        ref = _new_ref("pay")
        payment = {
            "id": ref,
            "order_id": order_ref,
            "amount": order["amount"],
            "currency": order["currency"],
            "status": "captured" if succeed else "failed",
            "method": method,
            "amount_refunded": 0,
            "created_at": int(time.time()),
            "error_reason": None if succeed else "payment_failed",
        }
        self._save(ref, "payment", payment)
        order["payments"].append(ref)
        order["status"] = "paid" if succeed else "attempted"
        self._save(order_ref, "order", order)
        signature = sign(f"{order_ref}|{ref}".encode(), self.key_secret)
        names = ["payment.captured", "order.paid"] if succeed else ["payment.failed"]
        webhooks = []
        for name in names:
            body = json.dumps(
                {
                    "entity": "event",
                    "event": name,
                    "contains": ["payment", "order"],
                    "payload": {
                        "payment": {"entity": _entity_json(payment)},
                        "order": {"entity": {k: v for k, v in order.items() if k != "payments"}},
                    },
                    "created_at": int(time.time()),
                }
            ).encode()
            webhooks.append(
                (body, sign(body, self.webhook_secret), f"evt_test{secrets.token_hex(7)}")
            )
        return _payment(payment), signature, webhooks


def _entity_json(payment: dict) -> dict:
    return {**payment, "entity": "payment", "captured": payment["status"] == "captured"}


def _order(data: dict) -> Order:
    return Order(
        provider_ref=data["id"],
        amount_paise=data["amount"],
        currency=data["currency"],
        status=data["status"],
        receipt=data["receipt"],
    )


def _payment(data: dict) -> Payment:
    return Payment(
        provider_ref=data["id"],
        order_ref=data["order_id"],
        amount_paise=data["amount"],
        currency=data["currency"],
        status=data["status"],
        method=data["method"],
        amount_refunded_paise=data["amount_refunded"],
        error_reason=data.get("error_reason") or "",
    )


def _refund(data: dict) -> Refund:
    return Refund(
        provider_ref=data["id"],
        payment_ref=data["payment_id"],
        amount_paise=data["amount"],
        currency=data["currency"],
        status=data["status"],
    )
