"""RazorpayGateway against Razorpay's documented shapes, with only the network faked.

Response bodies are the documented order entity (INTEGRATIONS.md §1.2), the error envelope, and
the payment and refund entities of the saved webhook payloads. Those payloads are copied byte for
byte into tests/payments/fixtures so the suite runs without ../shared beside the checkout.
"""

import base64
import datetime
import hashlib
import hmac
import json
from dataclasses import replace
from pathlib import Path

import pytest
import requests
import responses

from mockri.payments.gateways.base import (
    GatewayError,
    Order,
    Payment,
    Refund,
    SignatureError,
    WebhookEvent,
)
from mockri.payments.gateways.razorpay import RazorpayGateway

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "providers"
TEST_VECTOR = "razorpay-python-test-vector.payment.authorized.json"
DOCUMENTED_EVENTS = sorted(
    p.name for p in FIXTURES.glob("razorpay-*.json") if p.name != TEST_VECTOR
)

API = "https://api.razorpay.com/v1"
KEY_ID = "rzp_test_0wFRWIZnH65uny"
KEY_SECRET = "mockri_rzp_key_secret_for_tests"
WEBHOOK_SECRET = "mockri_rzp_webhook_test_secret"

# Signatures from razorpay-python's own tests (INTEGRATIONS.md §1.4): key secret "key_secret"
# over "fake_order_id|fake_payment_id", and webhook secret "key_secret" over TEST_VECTOR's bytes.
PYTHON_VECTOR_SIGNATURE = "b2335e3b0801106b84a7faff035df56ecffde06918c9ddd1f0fafbb37a51cc89"
TEST_VECTOR_SIGNATURE = "d60e67fd884556c045e9be7dad57903e33efc7172c17c6e3ef77db42d2b366e9"

UTC = datetime.UTC

# INTEGRATIONS.md §1.2, the order entity as Razorpay documents it.
DOCUMENTED_ORDER = {
    "amount": 5000,
    "amount_due": 5000,
    "amount_paid": 0,
    "attempts": 0,
    "created_at": 1756455561,
    "currency": "INR",
    "entity": "order",
    "id": "order_RB58MiP5SPFYyM",
    "notes": {"key1": "value3", "key2": "value2"},
    "offer_id": None,
    "receipt": "receipt#1",
    "status": "created",
}


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def entity(fixture: str, key: str) -> dict:
    """The `payload.<key>.entity` of a saved webhook payload."""
    return json.loads(fixture_bytes(fixture))["payload"][key]["entity"]


def sign(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def error_envelope(code: str, description: str, **extra) -> dict:
    return {
        "error": {
            "code": code,
            "description": description,
            "source": "business",
            "step": "payment_initiation",
            "reason": "input_validation_failed",
            "metadata": {},
            **extra,
        }
    }


def sent_json(call) -> dict:
    return json.loads(call.request.body)


@pytest.fixture
def gateway():
    return RazorpayGateway(key_id=KEY_ID, key_secret=KEY_SECRET, webhook_secret=WEBHOOK_SECRET)


@pytest.fixture
def api():
    """Razorpay's API, faked; any request not registered in the test fails as unreachable."""
    with responses.RequestsMock() as mock:
        yield mock


# Construction


def test_the_gateway_is_named_razorpay(gateway):
    assert gateway.name == "razorpay"


@pytest.mark.parametrize("blank", ["key_id", "key_secret", "webhook_secret"])
def test_the_gateway_refuses_a_blank_key_or_secret(blank):
    settings = {"key_id": KEY_ID, "key_secret": KEY_SECRET, "webhook_secret": WEBHOOK_SECRET}
    settings[blank] = " "

    with pytest.raises(ValueError, match=blank):
        RazorpayGateway(**settings)


def test_the_gateway_repr_shows_the_key_id_and_no_secret(gateway):
    assert repr(gateway) == f"<RazorpayGateway key_id='{KEY_ID}'>"


# Payment signature (checkout handler / callback)


def test_payment_signature_matches_the_razorpay_python_test_vector():
    gateway = RazorpayGateway(
        key_id="key_id", key_secret="key_secret", webhook_secret=WEBHOOK_SECRET
    )

    gateway.verify_payment_signature(
        order_ref="fake_order_id",
        payment_ref="fake_payment_id",
        signature=PYTHON_VECTOR_SIGNATURE,
    )


@pytest.mark.parametrize(
    ("order_ref", "payment_ref", "signature"),
    [
        # the last hex digit of the signature changed
        ("fake_order_id", "fake_payment_id", PYTHON_VECTOR_SIGNATURE[:-1] + "8"),
        # one character of the order id changed: the browser must not choose the order
        ("fake_order_iD", "fake_payment_id", PYTHON_VECTOR_SIGNATURE),
        ("fake_order_id", "fake_payment_ie", PYTHON_VECTOR_SIGNATURE),
        ("fake_order_id", "fake_payment_id", "test_signature"),
    ],
)
def test_payment_signature_with_one_character_changed_is_refused(order_ref, payment_ref, signature):
    gateway = RazorpayGateway(
        key_id="key_id", key_secret="key_secret", webhook_secret=WEBHOOK_SECRET
    )

    with pytest.raises(SignatureError):
        gateway.verify_payment_signature(
            order_ref=order_ref, payment_ref=payment_ref, signature=signature
        )


def test_payment_signature_matches_the_razorpay_docs_vector():
    gateway = RazorpayGateway(
        key_id=KEY_ID, key_secret="EnLs21M47BllR3X8PSFtjtbd", webhook_secret=WEBHOOK_SECRET
    )

    gateway.verify_payment_signature(
        order_ref="order_IEIaMR65cu6nz3",
        payment_ref="pay_IH4NVgf4Dreq1l",
        signature="0d4e745a1838664ad6c9c9902212a32d627d68e917290b0ad5f08ff4561bc50f",
    )


def test_payment_signature_made_with_the_webhook_secret_is_refused(gateway):
    signature = sign(b"order_IEIaMR65cu6nz3|pay_IH4NVgf4Dreq1l", WEBHOOK_SECRET)

    with pytest.raises(SignatureError):
        gateway.verify_payment_signature(
            order_ref="order_IEIaMR65cu6nz3", payment_ref="pay_IH4NVgf4Dreq1l", signature=signature
        )


@pytest.mark.parametrize(
    ("order_ref", "payment_ref", "signature"),
    [
        ("", "pay_IH4NVgf4Dreq1l", "0d4e745a"),
        ("order_IEIaMR65cu6nz3", "", "0d4e745a"),
        ("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l", ""),
        ("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l", None),
        ("order_IEIaMR65cu6nz3", "pay_IH4NVgf4Dreq1l", "é" * 64),
    ],
)
def test_payment_signature_that_is_missing_empty_or_not_ascii_is_refused(
    gateway, order_ref, payment_ref, signature
):
    with pytest.raises(SignatureError):
        gateway.verify_payment_signature(
            order_ref=order_ref, payment_ref=payment_ref, signature=signature
        )


# Webhook signature over the raw body


@pytest.fixture
def test_vector_gateway():
    """Keyed like razorpay-python's webhook test: webhook secret "key_secret"."""
    return RazorpayGateway(key_id="key_id", key_secret=KEY_SECRET, webhook_secret="key_secret")


def test_webhook_matching_the_razorpay_python_test_vector_is_read(test_vector_gateway):
    body = fixture_bytes(TEST_VECTOR)

    event = test_vector_gateway.parse_webhook(
        body=body, signature=TEST_VECTOR_SIGNATURE, event_id="evt_test_vector"
    )

    assert len(body) == 971
    assert event == WebhookEvent(
        event_id="evt_test_vector",
        name="payment.authorized",
        payment=Payment(
            provider_ref="pay_6koWN7bvxujzxM",
            order_ref="order_100000000order",
            amount_paise=1000000,
            currency="INR",
            status="captured",
            method="card",
            created_at=datetime.datetime(2016, 11, 24, 9, 8, 3, tzinfo=UTC),
        ),
    )


def test_webhook_without_its_final_newline_is_refused(test_vector_gateway):
    body = fixture_bytes(TEST_VECTOR)
    assert body.endswith(b"\n")

    with pytest.raises(SignatureError):
        test_vector_gateway.parse_webhook(
            body=body[:-1], signature=TEST_VECTOR_SIGNATURE, event_id="evt_test_vector"
        )


def test_webhook_with_one_byte_tampered_is_refused(test_vector_gateway):
    body = fixture_bytes(TEST_VECTOR).replace(b'"amount": 1000000', b'"amount": 9000000')

    with pytest.raises(SignatureError):
        test_vector_gateway.parse_webhook(
            body=body, signature=TEST_VECTOR_SIGNATURE, event_id="evt_test_vector"
        )


@pytest.mark.parametrize("signature", ["", None])
def test_webhook_without_a_signature_is_refused(test_vector_gateway, signature):
    with pytest.raises(SignatureError):
        test_vector_gateway.parse_webhook(
            body=fixture_bytes(TEST_VECTOR), signature=signature, event_id="evt_test_vector"
        )


def test_webhook_signed_with_the_key_secret_instead_of_the_webhook_secret_is_refused():
    gateway = RazorpayGateway(
        key_id="key_id", key_secret="key_secret", webhook_secret=WEBHOOK_SECRET
    )

    with pytest.raises(SignatureError):
        gateway.parse_webhook(
            body=fixture_bytes(TEST_VECTOR),
            signature=TEST_VECTOR_SIGNATURE,
            event_id="evt_test_vector",
        )


def test_webhook_body_that_is_not_utf8_is_refused_even_when_signed(gateway):
    body = b'{"event": "payment.captured", "x": "\xff"}'

    with pytest.raises(SignatureError):
        gateway.parse_webhook(body=body, signature=sign(body), event_id="evt_1")


def test_webhook_signed_but_without_an_event_id_is_refused_as_permanent(gateway):
    body = fixture_bytes("razorpay-payment.captured.json")

    with pytest.raises(GatewayError) as refused:
        gateway.parse_webhook(body=body, signature=sign(body), event_id="")

    assert refused.value.permanent is True
    assert not isinstance(refused.value, SignatureError)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"payload": {}}',
        b'{"event": "payment.captured", "payload": {"payment": {"entity": {"id": "pay_1"}}}}',
    ],
)
def test_webhook_signed_but_not_a_readable_event_is_a_permanent_error(gateway, body):
    with pytest.raises(GatewayError) as refused:
        gateway.parse_webhook(body=body, signature=sign(body), event_id="evt_1")

    assert refused.value.permanent is True
    assert not isinstance(refused.value, SignatureError)


# Webhook payloads as documented

CAPTURED_UPI_PAYMENT = Payment(
    provider_ref="pay_DESyzxuld02Zul",
    order_ref="order_DESxiijbl9xjDB",
    amount_paise=100,
    currency="INR",
    status="captured",
    method="upi",
    created_at=datetime.datetime(2019, 9, 5, 9, 22, 36, tzinfo=UTC),
)
PARTLY_REFUNDED_NETBANKING_PAYMENT = Payment(
    provider_ref="pay_FPoJKWQQ8lK13n",
    order_ref="order_FPoIeimWki9j8A",
    amount_paise=500000,
    currency="INR",
    status="captured",
    method="netbanking",
    amount_refunded_paise=190000,
    created_at=datetime.datetime(2020, 8, 12, 9, 59, 39, tzinfo=UTC),
)


def refund_of_50000(status: str) -> Refund:
    return Refund(
        provider_ref="rfnd_FS8TWyPrCsa0OB",
        payment_ref="pay_FPoJKWQQ8lK13n",
        amount_paise=50000,
        currency="INR",
        status=status,
    )


EXPECTED_EVENTS = {
    "razorpay-payment.authorized.json": WebhookEvent(
        event_id="evt_1",
        name="payment.authorized",
        payment=replace(CAPTURED_UPI_PAYMENT, status="authorized"),
    ),
    "razorpay-payment.captured.json": WebhookEvent(
        event_id="evt_1", name="payment.captured", payment=CAPTURED_UPI_PAYMENT
    ),
    "razorpay-payment.failed.json": WebhookEvent(
        event_id="evt_1",
        name="payment.failed",
        payment=replace(CAPTURED_UPI_PAYMENT, status="failed", error_reason="payment_failed"),
    ),
    "razorpay-order.paid.json": WebhookEvent(
        event_id="evt_1",
        name="order.paid",
        payment=CAPTURED_UPI_PAYMENT,
        order=Order(
            provider_ref="order_DESxiijbl9xjDB",
            amount_paise=100,
            currency="INR",
            status="paid",
            receipt="rcptid #1",
        ),
    ),
    # The documented refund.created sample really says "processed": read the status, not the name.
    "razorpay-refund.created.json": WebhookEvent(
        event_id="evt_1",
        name="refund.created",
        payment=PARTLY_REFUNDED_NETBANKING_PAYMENT,
        refund=refund_of_50000("processed"),
    ),
    "razorpay-refund.processed.json": WebhookEvent(
        event_id="evt_1",
        name="refund.processed",
        payment=PARTLY_REFUNDED_NETBANKING_PAYMENT,
        refund=refund_of_50000("processed"),
    ),
    "razorpay-refund.failed.json": WebhookEvent(
        event_id="evt_1",
        name="refund.failed",
        payment=PARTLY_REFUNDED_NETBANKING_PAYMENT,
        refund=refund_of_50000("failed"),
    ),
}

PERSONAL_FIELDS = {
    "email",
    "contact",
    "vpa",
    "bank",
    "wallet",
    "card_id",
    "card",
    "notes",
    "acquirer_data",
    "upi",
    "description",
}


def personal_values(value, inside_personal_field=False) -> set[str]:
    """Every string or number held under a personal field, however deeply nested."""
    if isinstance(value, dict):
        return set().union(
            *(
                personal_values(item, inside_personal_field or key in PERSONAL_FIELDS)
                for key, item in value.items()
            )
        )
    if isinstance(value, list):
        return set().union(*(personal_values(v, inside_personal_field) for v in value))
    if inside_personal_field and isinstance(value, str | int) and not isinstance(value, bool):
        return {str(value)}
    return set()


def test_every_documented_payload_has_an_expected_event():
    assert sorted(EXPECTED_EVENTS) == DOCUMENTED_EVENTS


@pytest.mark.parametrize("fixture", DOCUMENTED_EVENTS)
def test_documented_webhook_is_read_into_its_event_name_and_entities(gateway, fixture):
    body = fixture_bytes(fixture)

    event = gateway.parse_webhook(body=body, signature=sign(body), event_id="evt_1")

    assert event == EXPECTED_EVENTS[fixture]


@pytest.mark.parametrize("fixture", [*DOCUMENTED_EVENTS, TEST_VECTOR])
def test_documented_webhook_keeps_no_personal_field_of_the_payer(gateway, fixture):
    body = fixture_bytes(fixture)
    personal = personal_values(json.loads(body))

    event = gateway.parse_webhook(body=body, signature=sign(body), event_id="evt_1")

    assert {"gaurav.kumar@example.com", "a@b.com"} & personal  # the fixture has some to leak
    assert [value for value in personal if value in repr(event)] == []


def test_webhook_for_an_event_mockri_does_not_handle_still_has_its_name(gateway):
    body = json.dumps(
        {
            "entity": "event",
            "account_id": "acc_BFQ7uQEaa7j2z7",
            "event": "payment.downtime.started",
            "contains": ["payment.downtime"],
            "payload": {"payment.downtime": {"entity": {"id": "down_F1cxDoHWD4fkQt"}}},
            "created_at": 1567675356,
        }
    ).encode()

    event = gateway.parse_webhook(body=body, signature=sign(body), event_id="evt_2")

    assert event == WebhookEvent(event_id="evt_2", name="payment.downtime.started")


# Orders


def test_create_order_sends_amount_receipt_notes_and_automatic_capture(gateway, api):
    api.post(
        f"{API}/orders",
        json={
            **DOCUMENTED_ORDER,
            "amount": 29900,
            "amount_due": 29900,
            "id": "order_DESxiijbl9xjDB",
            "receipt": "mockri-booking-42",
            "notes": {"booking_id": "42"},
        },
    )

    order = gateway.create_order(
        amount_paise=29900, currency="INR", receipt="mockri-booking-42", notes={"booking_id": "42"}
    )

    assert order == Order(
        provider_ref="order_DESxiijbl9xjDB",
        amount_paise=29900,
        currency="INR",
        status="created",
        receipt="mockri-booking-42",
    )
    assert sent_json(api.calls[0]) == {
        "amount": 29900,
        "currency": "INR",
        "receipt": "mockri-booking-42",
        "notes": {"booking_id": "42"},
        "payment": {
            "capture": "automatic",
            "capture_options": {
                "automatic_expiry_period": 12,
                "manual_expiry_period": 7200,
                "refund_speed": "normal",
            },
        },
    }


def test_requests_authenticate_with_the_key_and_carry_a_timeout(gateway, api):
    api.get(f"{API}/orders/order_RB58MiP5SPFYyM", json=DOCUMENTED_ORDER)

    gateway.fetch_order("order_RB58MiP5SPFYyM")

    request = api.calls[0].request
    credentials = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {credentials}"
    assert request.req_kwargs["timeout"] == 10.0


def test_create_order_refuses_a_receipt_over_40_characters_before_any_request(gateway, api):
    with pytest.raises(GatewayError) as refused:
        gateway.create_order(amount_paise=29900, currency="INR", receipt="r" * 41, notes={})

    assert refused.value.permanent is True
    assert len(api.calls) == 0


def test_create_order_refused_by_razorpay_is_a_permanent_error_with_its_description(gateway, api):
    api.post(
        f"{API}/orders",
        status=400,
        json=error_envelope(
            "BAD_REQUEST_ERROR", "The amount must be at least INR 1.00", field="amount"
        ),
    )

    with pytest.raises(GatewayError) as refused:
        gateway.create_order(amount_paise=50, currency="INR", receipt="mockri-booking-42", notes={})

    assert refused.value.permanent is True
    assert refused.value.message == "The amount must be at least INR 1.00"


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, error_envelope("SERVER_ERROR", "The server encountered an error.")),
        (502, error_envelope("GATEWAY_ERROR", "The gateway did not respond.")),
        # Razorpay's rate limiter; the SDK alone would call this a bad request.
        (429, error_envelope("BAD_REQUEST_ERROR", "Too many requests")),
        (503, "<html>Service Unavailable</html>"),
    ],
)
def test_create_order_failing_on_razorpays_side_is_a_retryable_error(gateway, api, status, body):
    if isinstance(body, dict):
        api.post(f"{API}/orders", status=status, json=body)
    else:
        api.post(f"{API}/orders", status=status, body=body, content_type="text/html")

    with pytest.raises(GatewayError) as failed:
        gateway.create_order(
            amount_paise=29900, currency="INR", receipt="mockri-booking-42", notes={}
        )

    assert failed.value.permanent is False
    assert KEY_SECRET not in failed.value.message


@pytest.mark.parametrize(
    "network_error", [requests.ConnectionError("connection refused"), requests.Timeout("read")]
)
def test_create_order_that_cannot_reach_razorpay_is_a_retryable_error(gateway, api, network_error):
    api.post(f"{API}/orders", body=network_error)

    with pytest.raises(GatewayError) as failed:
        gateway.create_order(
            amount_paise=29900, currency="INR", receipt="mockri-booking-42", notes={}
        )

    assert failed.value.permanent is False
    assert KEY_SECRET not in failed.value.message


def test_fetch_order_reads_notes_sent_as_an_empty_list(gateway, api):
    api.get(
        f"{API}/orders/order_DESxiijbl9xjDB",
        json={**DOCUMENTED_ORDER, "id": "order_DESxiijbl9xjDB", "notes": [], "status": "attempted"},
    )

    order = gateway.fetch_order("order_DESxiijbl9xjDB")

    assert order == Order(
        provider_ref="order_DESxiijbl9xjDB",
        amount_paise=5000,
        currency="INR",
        status="attempted",
        receipt="receipt#1",
    )


def test_order_payments_lists_every_attempt_against_the_order(gateway, api):
    failed = {**entity("razorpay-payment.failed.json", "payment"), "id": "pay_DESxFailed0001"}
    captured = entity("razorpay-payment.captured.json", "payment")
    api.get(
        f"{API}/orders/order_DESxiijbl9xjDB/payments",
        json={"entity": "collection", "count": 2, "items": [failed, captured]},
    )

    payments = gateway.order_payments("order_DESxiijbl9xjDB")

    assert payments == [
        replace(
            CAPTURED_UPI_PAYMENT,
            provider_ref="pay_DESxFailed0001",
            status="failed",
            error_reason="payment_failed",
        ),
        CAPTURED_UPI_PAYMENT,
    ]


def test_order_payments_of_an_order_without_attempts_is_empty(gateway, api):
    api.get(
        f"{API}/orders/order_RB58MiP5SPFYyM/payments",
        json={"entity": "collection", "count": 0, "items": []},
    )

    assert gateway.order_payments("order_RB58MiP5SPFYyM") == []


@pytest.mark.parametrize("ref", ["", "pay_DESyzxuld02Zul/refund", "../orders", "pay_1?count=100"])
def test_an_id_that_is_not_a_razorpay_id_is_refused_before_any_request(gateway, api, ref):
    with pytest.raises(GatewayError) as refused:
        gateway.fetch_payment(ref)

    assert refused.value.permanent is True
    assert len(api.calls) == 0


# Payments


def test_fetch_payment_maps_the_documented_payment_entity(gateway, api):
    api.get(
        f"{API}/payments/pay_DESyzxuld02Zul",
        json=entity("razorpay-payment.authorized.json", "payment"),
    )

    payment = gateway.fetch_payment("pay_DESyzxuld02Zul")

    assert payment == replace(CAPTURED_UPI_PAYMENT, status="authorized")


def test_capture_payment_sends_amount_and_currency_and_returns_the_captured_payment(gateway, api):
    api.post(
        f"{API}/payments/pay_DESyzxuld02Zul/capture",
        json=entity("razorpay-payment.captured.json", "payment"),
    )

    payment = gateway.capture_payment("pay_DESyzxuld02Zul", amount_paise=100, currency="INR")

    assert payment == CAPTURED_UPI_PAYMENT
    assert sent_json(api.calls[0]) == {"amount": 100, "currency": "INR"}


def test_capture_of_an_already_captured_payment_is_a_permanent_error(gateway, api):
    api.post(
        f"{API}/payments/pay_DESyzxuld02Zul/capture",
        status=400,
        json=error_envelope("BAD_REQUEST_ERROR", "This payment has already been captured"),
    )

    with pytest.raises(GatewayError) as refused:
        gateway.capture_payment("pay_DESyzxuld02Zul", amount_paise=100, currency="INR")

    assert refused.value.permanent is True
    assert refused.value.message == "This payment has already been captured"


def test_a_response_missing_fields_is_a_retryable_error(gateway, api):
    api.get(f"{API}/payments/pay_DESyzxuld02Zul", json={"id": "pay_DESyzxuld02Zul"})

    with pytest.raises(GatewayError) as failed:
        gateway.fetch_payment("pay_DESyzxuld02Zul")

    assert failed.value.permanent is False


# Refunds


def pending_refund() -> dict:
    return {
        **entity("razorpay-refund.processed.json", "refund"),
        "notes": {"booking_id": "42"},
        "status": "pending",
        "speed_requested": "normal",
    }


def test_refund_sends_the_amount_normal_speed_notes_and_the_idempotency_header(gateway, api):
    api.post(f"{API}/payments/pay_FPoJKWQQ8lK13n/refund", json=pending_refund())

    refund = gateway.refund(
        "pay_FPoJKWQQ8lK13n",
        amount_paise=50000,
        idempotency_key="mockri-refund-42",
        notes={"booking_id": "42"},
    )

    assert refund == refund_of_50000("pending")
    request = api.calls[0].request
    assert request.headers["X-Refund-Idempotency"] == "mockri-refund-42"
    assert sent_json(api.calls[0]) == {
        "amount": 50000,
        "speed": "normal",
        "notes": {"booking_id": "42"},
    }


def test_refund_reusing_a_key_for_a_different_request_is_a_permanent_error(gateway, api):
    api.post(
        f"{API}/payments/pay_FPoJKWQQ8lK13n/refund",
        status=400,
        json=error_envelope(
            "BAD_REQUEST_ERROR",
            "Different request with the same idempotency key has already been processed.",
        ),
    )

    with pytest.raises(GatewayError) as refused:
        gateway.refund(
            "pay_FPoJKWQQ8lK13n",
            amount_paise=40000,
            idempotency_key="mockri-refund-42",
            notes={},
        )

    assert refused.value.permanent is True
    assert refused.value.message == (
        "Different request with the same idempotency key has already been processed."
    )


@pytest.mark.parametrize(
    "key", ["", "refund-42", "mockri refund 42", "mockri-refund-42;", "mockri.refund.42", "é" * 12]
)
def test_refund_with_an_invalid_idempotency_key_is_refused_before_any_request(gateway, api, key):
    with pytest.raises(GatewayError) as refused:
        gateway.refund("pay_FPoJKWQQ8lK13n", amount_paise=50000, idempotency_key=key, notes={})

    assert refused.value.permanent is True
    assert len(api.calls) == 0


def test_fetch_refund_maps_the_documented_refund_entity(gateway, api):
    api.get(
        f"{API}/refunds/rfnd_FS8TWyPrCsa0OB",
        json=entity("razorpay-refund.failed.json", "refund"),
    )

    assert gateway.fetch_refund("rfnd_FS8TWyPrCsa0OB") == refund_of_50000("failed")


# The copied payloads


def test_the_copied_fixtures_include_the_python_test_vector_and_documented_events():
    assert (FIXTURES / TEST_VECTOR).exists()
    assert len(DOCUMENTED_EVENTS) == 7


@pytest.mark.skipif(not SHARED_FIXTURES.exists(), reason="shared/ is not beside this checkout")
def test_the_copied_fixtures_are_the_shared_razorpay_payloads_byte_for_byte():
    shared = {path.name: path.read_bytes() for path in SHARED_FIXTURES.glob("razorpay-*.json")}
    copied = {path.name: path.read_bytes() for path in FIXTURES.glob("razorpay-*.json")}

    assert copied == shared
