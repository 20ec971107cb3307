"""No input gives a 500: arbitrary query strings and form values at every URL, GET and POST, as a
visitor, a candidate, an interviewer and staff (both with two-factor authentication).

The URLs come from the resolver, so a new view is covered the day it is added; path parameters
are filled from real objects (a booking, a receipt, an interview type) so the views get past
their lookups. The client raises what a view raises, so a failure shows the traceback and the
input hypothesis shrank it to.
"""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockri.bookings.services import booking_confirm_payment
from mockri.bookings.upload_services import upload_start
from mockri.payments.models import Payment, Receipt
from tests.fixtures import SLOT, past_session

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)

# Not sent: Django's own admin (its changelists are Django's to harden; ours are read-only).
SKIPPED_PREFIXES = ("admin:",)
# These end the session or the account: sent last, so every other URL runs signed in.
LAST = ("logout", "delete", "withdraw", "sessions/end", "erasure")

# Parameter names the views read, and values that have broken parsers before.
KEYS = [
    "start", "starts_at", "ends_at", "date", "interviewer", "page", "tz", "next", "amount",
    "reason", "action", "id", "kind", "outcome", "days", "min_notice_minutes", "horizon_days",
    "buffer_minutes", "max_sessions_per_day", "weekday", "idempotency_key", "email", "name",
    "message", "razorpay_order_id", "razorpay_payment_id", "razorpay_signature", "website",
    "size", "upload", "resume_upload", "job_description_upload", "coupon_code",
    "place_of_supply", "buyer_gstin", "code", "percent_off", "amount_off_rupees", "target_role",
    "level", "target_companies", "interview_on",
    "note", "reference", "method",
    "holder_name", "account_number", "ifsc", "upi_id", "share_percent", "amount_rupees",
    "effective_from", "period_start", "period_end", "interview_type",
    "new_start", "to", "status", "back", "q",
    "suggested", "written_0",
    "decision", "reply", "publish",
]  # fmt: skip
NASTY = [
    "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00", "9999-12-31", "0001-01-01",
    "2026-12-02T10:00:00+05:30", "9999-12-31T23:59", "NaN", "Infinity", "-Infinity", "1e999",
    "99999999999999999999", "-1", "0", "", "foo", "é" * 8, "\x00", "//evil.example",
    "add_time_off", "save_settings", "set_override", "add_window", "delete_window", "pay",
    "completed", "resume", "any", "Asia/Kolkata", "../../etc/passwd", "%", "'\"<>",
]  # fmt: skip
VALUES = st.one_of(st.sampled_from(NASTY), st.text(max_size=30))
DATA = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), VALUES, max_size=6)


def _routes(patterns, namespace="", route=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", route + str(pattern.pattern), pattern


def _kwargs(route: str, pattern: URLPattern, objects: dict) -> dict:
    names = pattern.pattern.regex.groupindex
    values = {
        "slug": objects["interviewer_slug"] if "interviewers/" in route else objects["type_slug"],
        # Feedback and ratings are for a session that took place.
        "reference": objects["past"]
        if "/feedback/" in route or "/rating/" in route
        else objects["reference"],
        "kind": "resume",
        "order_ref": objects["order_ref"],
        "number": objects["receipt"],
        "email_id": 1,
        "pk": 1,
        "token": "not-a-token",
        "key": "not-a-key",
        "uidb36": "zz",
        "upload_id": objects["upload"],
        "year": 2026,
        "month": 11,
        "profile_id": 1,
        "line_id": 1,
        "decision": "confirm",
        "review_id": 1,
        "refund_id": 1,
    }
    return {name: values[name] for name in names}


def every_url(objects: dict) -> list[str]:
    urls = []
    for name, route, pattern in _routes(get_resolver().url_patterns):
        if name.startswith(SKIPPED_PREFIXES):
            continue
        urls.append(reverse(name, kwargs=_kwargs(route, pattern, objects)))
    unique = sorted(set(urls))
    return sorted(unique, key=lambda url: any(word in url for word in LAST))


@pytest.fixture
def world(now, candidate, interviewer, staff, two_factor, paid_type, free_type, profile, book):
    """A paid and confirmed booking with its receipt, a held one and a past one, and the
    signed-in users of every role."""
    two_factor(interviewer, staff)
    held = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    Payment.objects.create(
        booking=held, gateway="test", order_ref="order_test1", amount_paise=199_900
    )
    paid = book(candidate=candidate, interview_type=paid_type, starts_at=SLOT + 3 * HOUR)
    payment = Payment.objects.create(
        booking=paid,
        gateway="test",
        order_ref="order_test2",
        amount_paise=199_900,
        status="captured",
    )
    booking_confirm_payment(paid)
    receipt = Receipt.objects.create(payment=payment)
    past = past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=free_type,
        starts_at=SLOT - datetime.timedelta(days=3),
    )
    upload = upload_start(owner=candidate, kind="resume", size_bytes=64, name="cv.pdf", now=now)
    return {
        "upload": upload.pk,
        "users": {
            "visitor": None,
            "candidate": candidate,
            "interviewer": interviewer,
            "staff": staff,
        },
        "interviewer_slug": profile.slug,
        "type_slug": paid_type.slug,
        "reference": paid.reference,
        "past": past.reference,
        "order_ref": payment.order_ref,
        "receipt": receipt.pk,
    }


def probe(client: Client, url: str):
    """A few arbitrary inputs, GET and POST, at one URL."""

    @settings(
        max_examples=3,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(query=DATA, form=DATA, htmx=st.booleans())
    def send(query, form, htmx):
        headers = {"HX-Request": "true"} if htmx else {}
        assert client.get(url, query, headers=headers).status_code < 500
        form.setdefault("idempotency_key", str(uuid.uuid4()))
        assert client.post(url, form, headers=headers).status_code < 500

    send()


@pytest.mark.parametrize("role", ["visitor", "candidate", "interviewer", "staff"])
def test_no_url_answers_any_input_with_a_server_error(world, role, private_storage):
    client = Client()
    if user := world["users"][role]:
        client.force_login(user)
    # Each URL in turn, so every view is reached on every run.
    for url in every_url(world):
        probe(client, url)
