"""The payment gateway contract: what the rest of Mockri may ask of a payment provider.

Amounts are integer paise; currency is "INR". Objects crossing the boundary are frozen
dataclasses holding only what Mockri keeps (ids, amounts, statuses, the method type) and never
the provider's personal fields (card, VPA, bank, contact, email) — so, unlike STYLE.md's sketch,
no `raw` payload crosses the boundary. `GatewayError.permanent` says whether retrying the same
call could ever succeed; input the provider would refuse (a bad id, receipt or key) raises a
permanent GatewayError before any request.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol


class GatewayError(Exception):
    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class SignatureError(GatewayError):
    """A checkout callback or webhook whose signature does not match: never retry, never trust."""

    def __init__(self, message: str = "The signature does not match."):
        super().__init__(message, permanent=True)


@dataclass(frozen=True)
class Order:
    provider_ref: str  # e.g. "order_DESxiijbl9xjDB"
    amount_paise: int
    currency: str
    status: str  # created | attempted | paid
    receipt: str


@dataclass(frozen=True)
class Payment:
    provider_ref: str  # e.g. "pay_DESyzxuld02Zul"
    order_ref: str
    amount_paise: int
    currency: str
    status: str  # created | authorized | captured | refunded | failed
    method: str  # card | netbanking | wallet | emi | upi | ""
    amount_refunded_paise: int = 0
    error_reason: str = ""  # the provider's short reason code when failed, e.g. "payment_failed"
    created_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Refund:
    provider_ref: str  # e.g. "rfnd_FS8TWyPrCsa0OB"
    payment_ref: str
    amount_paise: int
    currency: str
    status: str  # pending | processed | failed


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str  # x-razorpay-event-id: the same on every redelivery
    name: str  # e.g. "payment.captured"
    payment: Payment | None = None
    order: Order | None = None
    refund: Refund | None = None


class PaymentGateway(Protocol):
    """One payment provider. Implementations: `razorpay.RazorpayGateway`, `fake.TestGateway`."""

    name: str

    def create_order(self, *, amount_paise: int, currency: str, receipt: str, notes: dict) -> Order:
        """Create an order to pay against. Moves no money."""

    def fetch_order(self, order_ref: str) -> Order: ...

    def order_payments(self, order_ref: str) -> list[Payment]:
        """Every payment attempted against the order, for reconciliation."""

    def fetch_payment(self, payment_ref: str) -> Payment: ...

    def capture_payment(self, payment_ref: str, *, amount_paise: int, currency: str) -> Payment:
        """Capture an authorized payment (a no-op the provider refuses if already captured)."""

    def refund(
        self, payment_ref: str, *, amount_paise: int, idempotency_key: str, notes: dict
    ) -> Refund:
        """Refund (part of) a captured payment. Repeating the same key creates no second refund."""

    def fetch_refund(self, refund_ref: str) -> Refund: ...

    def verify_payment_signature(self, *, order_ref: str, payment_ref: str, signature: str) -> None:
        """Raise SignatureError unless `signature` signs `order_ref|payment_ref` (the order id
        must be the one stored on our side, never the one the browser sent)."""

    def parse_webhook(self, *, body: bytes, signature: str, event_id: str) -> WebhookEvent:
        """Verify the signature over the raw `body`, then read the event. Raises SignatureError
        for a bad or missing signature, and a permanent GatewayError for a signed body that is
        not an event or comes without an event id."""
