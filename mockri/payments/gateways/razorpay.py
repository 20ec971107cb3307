"""Razorpay through its official SDK (razorpay-python 2.x): the only module that imports it.

Amounts are paise both ways. Whatever Razorpay returns is copied into the frozen dataclasses of
`base` field by field: ids, amounts, currency, status, method, refund/error summary and the
creation time. Personal fields (email, contact, VPA, card, bank, wallet, notes, acquirer data)
are never read, so they cannot leak into logs, the database or an exception message.

Errors: Razorpay's `BAD_REQUEST_ERROR` (and inputs refused here before any request) are permanent;
server and gateway errors, rate limiting (HTTP 429), timeouts and connection failures are not.
Messages are Razorpay's `error.description` or a fixed text, never a key or a secret.
"""

import datetime
import json
import re
from collections.abc import Callable
from typing import Any

import razorpay
import requests

from mockri.payments.gateways.base import (
    GatewayError,
    Order,
    Payment,
    Refund,
    SignatureError,
    WebhookEvent,
)

RECEIPT_MAX_LENGTH = 40  # Orders API: "receipt … max 40 characters"
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{10,}")  # Refunds API: 10+ of these characters
# Razorpay ids are a prefix and alphanumerics ("pay_DESyzxuld02Zul"); they go into URL paths.
PROVIDER_REF = re.compile(r"[A-Za-z0-9_]{1,64}")
# Order capture settings: capture automatically, stop trying after 12 minutes, and refund an
# uncaptured payment the normal way. Late authorisations are still captured within 7200 minutes.
CAPTURE_SETTINGS = {
    "capture": "automatic",
    "capture_options": {
        "automatic_expiry_period": 12,
        "manual_expiry_period": 7200,
        "refund_speed": "normal",
    },
}


class _RateLimited(Exception):
    """Raised by the session hook on HTTP 429; the SDK would report it as a bad request."""


def _refuse_rate_limited(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    # The SDK turns every error body with code BAD_REQUEST_ERROR into BadRequestError and drops
    # the status; Razorpay's rate limiter answers 429, which a later retry can get past.
    if response.status_code == 429:
        raise _RateLimited


class RazorpayGateway:
    """`base.PaymentGateway` for Razorpay. Every API call uses `timeout` (seconds, or a
    (connect, read) pair, as in requests); the SDK has no default and no retry unless enabled,
    which we leave off: callers (tasks) own the retry policy."""

    name = "razorpay"

    def __init__(
        self,
        *,
        key_id: str,
        key_secret: str,
        webhook_secret: str,
        timeout: float | tuple[float, float] = 10.0,
    ):
        for setting, value in [
            ("key_id", key_id),
            ("key_secret", key_secret),
            ("webhook_secret", webhook_secret),
        ]:
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"RazorpayGateway needs a non-empty {setting}.")
        self.key_id = key_id
        self._webhook_secret = webhook_secret
        self._timeout = timeout
        session = requests.Session()
        session.hooks["response"].append(_refuse_rate_limited)
        self._client = razorpay.Client(session=session, auth=(key_id, key_secret))

    def __repr__(self) -> str:
        return f"<RazorpayGateway key_id={self.key_id!r}>"

    # Orders

    def create_order(self, *, amount_paise: int, currency: str, receipt: str, notes: dict) -> Order:
        if not receipt or len(receipt) > RECEIPT_MAX_LENGTH:
            raise GatewayError(
                f"A Razorpay receipt must be 1 to {RECEIPT_MAX_LENGTH} characters.", permanent=True
            )
        data = {
            "amount": amount_paise,
            "currency": currency,
            "receipt": receipt,
            "notes": dict(notes),
            "payment": CAPTURE_SETTINGS,
        }
        return _read(_order, self._call(self._client.order.create, data))

    def fetch_order(self, order_ref: str) -> Order:
        return _read(_order, self._call(self._client.order.fetch, _path_ref(order_ref)))

    def order_payments(self, order_ref: str) -> list[Payment]:
        collection = self._call(self._client.order.payments, _path_ref(order_ref))
        return _read(lambda body: [_payment(item) for item in body["items"]], collection)

    # Payments

    def fetch_payment(self, payment_ref: str) -> Payment:
        return _read(_payment, self._call(self._client.payment.fetch, _path_ref(payment_ref)))

    def capture_payment(self, payment_ref: str, *, amount_paise: int, currency: str) -> Payment:
        captured = self._call(
            self._client.payment.capture,
            _path_ref(payment_ref),
            amount_paise,
            {"currency": currency},
        )
        return _read(_payment, captured)

    # Refunds

    def refund(
        self, payment_ref: str, *, amount_paise: int, idempotency_key: str, notes: dict
    ) -> Refund:
        if not isinstance(idempotency_key, str) or not IDEMPOTENCY_KEY.fullmatch(idempotency_key):
            raise GatewayError(
                "A Razorpay refund idempotency key must be 10 or more of A-Z a-z 0-9 _ -.",
                permanent=True,
            )
        data = {"amount": amount_paise, "speed": "normal", "notes": dict(notes)}
        created = self._call(
            self._client.payment.refund,
            _path_ref(payment_ref),
            data,
            headers={"X-Refund-Idempotency": idempotency_key},
        )
        return _read(_refund, created)

    def fetch_refund(self, refund_ref: str) -> Refund:
        return _read(_refund, self._call(self._client.refund.fetch, _path_ref(refund_ref)))

    # Signatures

    def verify_payment_signature(self, *, order_ref: str, payment_ref: str, signature: str) -> None:
        if not all(_is_text(value) for value in (order_ref, payment_ref, signature)):
            raise SignatureError()
        try:
            self._client.utility.verify_payment_signature(
                {
                    "razorpay_order_id": order_ref,
                    "razorpay_payment_id": payment_ref,
                    "razorpay_signature": signature,
                }
            )
        # TypeError: hmac.compare_digest refuses a non-ASCII str; ValueError: unencodable text.
        except (razorpay.errors.SignatureVerificationError, TypeError, ValueError):
            raise SignatureError() from None

    def parse_webhook(self, *, body: bytes, signature: str, event_id: str) -> WebhookEvent:
        if not isinstance(body, bytes) or not _is_text(signature):
            raise SignatureError()
        try:
            # The SDK signs str; strict UTF-8 decoding gives back exactly the bytes received.
            text = body.decode("utf-8")
            self._client.utility.verify_webhook_signature(text, signature, self._webhook_secret)
        except (razorpay.errors.SignatureVerificationError, TypeError, ValueError):
            raise SignatureError() from None
        return event_from_json(text, event_id)

    # The network edge

    def _call(self, method: Callable[..., Any], *args: Any, headers: dict | None = None) -> dict:
        options: dict[str, Any] = {"timeout": self._timeout}
        if headers:
            options["headers"] = dict(headers)  # the SDK adds its own headers to this dict
        try:
            response = method(*args, **options)
        except _RateLimited:
            raise GatewayError("Razorpay is rate limiting requests.", permanent=False) from None
        except razorpay.errors.BadRequestError as error:
            raise GatewayError(
                _message(error, "Razorpay refused the request."), permanent=True
            ) from error
        except (razorpay.errors.GatewayError, razorpay.errors.ServerError) as error:
            raise GatewayError(
                _message(error, "Razorpay could not complete the request."), permanent=False
            ) from error
        except requests.RequestException as error:
            # Connection errors, timeouts, and error pages that are not JSON.
            raise GatewayError(
                f"Razorpay could not be reached ({type(error).__name__}).", permanent=False
            ) from error
        if not isinstance(response, dict):  # e.g. the SDK's "{}" string for a 204
            raise GatewayError("Razorpay sent an unexpected response.", permanent=False)
        return response


def event_from_json(text: str, event_id: str) -> WebhookEvent:
    """Read a Razorpay-shaped event whose signature was already checked (shared with the test
    gateway, which sends events in the same shape)."""
    if not _is_text(event_id):
        raise GatewayError("The Razorpay webhook has no event id.", permanent=True)
    try:
        event = json.loads(text)
        entities = event.get("payload") or {}
        return WebhookEvent(
            event_id=event_id,
            name=_text(event["event"]),
            payment=_entity(entities, "payment", _payment),
            order=_entity(entities, "order", _order),
            refund=_entity(entities, "refund", _refund),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise GatewayError(
            "The Razorpay webhook body is not an event Mockri can read.", permanent=True
        ) from error


def _message(error: Exception, fallback: str) -> str:
    description = str(error.args[0]) if error.args and error.args[0] else ""
    return description or fallback


def _path_ref(ref: str) -> str:
    if not isinstance(ref, str) or not PROVIDER_REF.fullmatch(ref):
        raise GatewayError("That is not a Razorpay id.", permanent=True)
    return ref


def _read[T](mapper: Callable[[dict], T], body: dict) -> T:
    try:
        return mapper(body)
    except (KeyError, TypeError, ValueError) as error:
        raise GatewayError(
            "Razorpay sent a response Mockri cannot read.", permanent=False
        ) from error


def _entity[T](entities: dict, key: str, mapper: Callable[[dict], T]) -> T | None:
    wrapper = entities.get(key)
    return None if wrapper is None else mapper(wrapper["entity"])


def _order(entity: dict) -> Order:
    return Order(
        provider_ref=_text(entity["id"]),
        amount_paise=_whole_number(entity["amount"]),
        currency=_text(entity["currency"]),
        status=_text(entity["status"]),
        receipt=_text_or_empty(entity.get("receipt")),
    )


def _payment(entity: dict) -> Payment:
    return Payment(
        provider_ref=_text(entity["id"]),
        order_ref=_text_or_empty(entity.get("order_id")),
        amount_paise=_whole_number(entity["amount"]),
        currency=_text(entity["currency"]),
        status=_text(entity["status"]),
        method=_text_or_empty(entity.get("method")),
        amount_refunded_paise=_whole_number(entity.get("amount_refunded") or 0),
        error_reason=_text_or_empty(entity.get("error_reason")),
        created_at=_timestamp(entity.get("created_at")),
    )


def _refund(entity: dict) -> Refund:
    return Refund(
        provider_ref=_text(entity["id"]),
        payment_ref=_text(entity["payment_id"]),
        amount_paise=_whole_number(entity["amount"]),
        currency=_text(entity["currency"]),
        status=_text(entity["status"]),
    )


def _is_text(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _text(value: object) -> str:
    if isinstance(value, str) and value:
        return value
    raise ValueError("expected a non-empty string")


def _text_or_empty(value: object) -> str:
    return "" if value is None else _text(value)


def _whole_number(value: object) -> int:
    # bool is an int in Python; an amount of True paise is a malformed body, not 1 paisa.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError("expected a whole number")


def _timestamp(value: object) -> datetime.datetime | None:
    if value is None:
        return None
    return datetime.datetime.fromtimestamp(_whole_number(value), tz=datetime.UTC)
