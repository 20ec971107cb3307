"""The console's refund actions: retry a refund the provider failed, check one in progress with
the provider, from the booking's page (or the pack buyer's), each kept with who and why; and the
"needs attention" queue linking to the refund itself. Razorpay is faked at the network edge."""

import datetime
import json

import pytest
import responses
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import BookingEvent
from mockri.invoices.services import invoice_issue
from mockri.notifications.models import OutboxEmail
from mockri.operations.models import StaffAction
from mockri.operations.selectors import attention_refunds
from mockri.packs.models import PackPurchase
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Refund
from tests.factories import PackFactory
from tests.fixtures import NOW, SLOT, past_session

pytestmark = pytest.mark.django_db
API = "https://api.razorpay.com/v1"
PAYMENT = "pay_FPoJKWQQ8lK13n"  # the payment of the documented refund events
FAILED_REF = "rfnd_FS8TWyPrCsa0OB"
RETRY_REF = "rfnd_FS8TWyPrCsa0OC"
PRICE = 199_900


def refund_entity(**changes) -> dict:
    """A refund as Razorpay's Refunds API returns it (the documented refund.processed sample's)."""
    return {
        "id": FAILED_REF,
        "entity": "refund",
        "amount": PRICE,
        "currency": "INR",
        "payment_id": PAYMENT,
        "notes": {"booking": "MK-1"},
        "receipt": None,
        "acquirer_data": {"arn": None},
        "created_at": 1597734071,
        "batch_id": None,
        "status": "processed",
        "speed_processed": "normal",
        "speed_requested": "normal",
        **changes,
    }


@pytest.fixture
def razorpay(settings):
    settings.RAZORPAY_KEY_ID = "rzp_test_0wFRWIZnH65uny"
    settings.RAZORPAY_KEY_SECRET = "test-key-secret"
    settings.RAZORPAY_WEBHOOK_SECRET = "test-webhook-secret-0123456789"
    settings.PAYMENT_GATEWAY = "razorpay"


@pytest.fixture
def as_staff(now, client, staff, two_factor, razorpay):
    two_factor(staff)
    client.force_login(staff)
    return client


@pytest.fixture
def booking(now, candidate, profile, paid_type):
    return past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=paid_type,
        starts_at=SLOT,
        status=BookingStatus.CANCELLED,
    )


@pytest.fixture
def payment(booking):
    return Payment.objects.create(
        booking=booking,
        gateway="razorpay",
        order_ref="order_FPoIeimWki9j8A",
        payment_ref=PAYMENT,
        amount_paise=PRICE,
        status=PaymentStatus.CAPTURED,
        captured_at=NOW - datetime.timedelta(days=2),
    )


def a_refund(payment, *, status, amount_paise=PRICE, key="mockri-refund-1-1", ref=FAILED_REF):
    return Refund.objects.create(
        payment=payment,
        idempotency_key=key,
        provider_ref=ref,
        amount_paise=amount_paise,
        status=status,
        reason="Cancelled: full refund",
    )


def action_url(booking, refund, verb: str) -> str:
    return f"/console/bookings/{booking.reference}/refunds/{refund.pk}/{verb}/"


def last_event(booking) -> tuple:
    event = BookingEvent.objects.filter(booking=booking).latest("pk")
    return (event.action, event.actor.full_name, event.actor_role, event.detail)


@responses.activate
def test_staff_retry_a_failed_refund_and_the_candidate_gets_the_credit_note(
    as_staff, settings, booking, payment, candidate, task_queue
):
    settings.GSTIN = "32ABCDE1234F1Z9"  # invoicing on: a processed refund gets a credit note
    invoice_issue(payment_id=payment.pk)
    failed = a_refund(payment, status=RefundStatus.FAILED)
    task_queue.backend.clear()
    created = responses.post(
        f"{API}/payments/{PAYMENT}/refund", json=refund_entity(id=RETRY_REF, status="processed")
    )

    response = as_staff.post(action_url(booking, failed, "retry"), {"reason": "Bank fixed it"})

    assert response.status_code == 302
    assert response.url == f"/console/bookings/{booking.reference}/#payments"
    retry = Refund.objects.exclude(pk=failed.pk).get()
    assert (retry.amount_paise, retry.status) == (PRICE, RefundStatus.REQUESTED)
    assert last_event(booking) == (
        "refund_retried",
        "Mockri Staff",
        "staff",
        f"₹1,999 asked for again after refund {FAILED_REF} failed: Bank fixed it",
    )
    task_queue.run_all()
    assert created.calls[0].request.headers["X-Refund-Idempotency"] == retry.idempotency_key
    retry.refresh_from_db()
    assert retry.status == RefundStatus.PROCESSED
    credit_note = OutboxEmail.objects.get(kind="credit_note")
    assert credit_note.to_address == candidate.email


def test_a_double_submitted_retry_asks_for_the_refund_once(as_staff, booking, payment, task_queue):
    failed = a_refund(payment, status=RefundStatus.FAILED)
    task_queue.backend.clear()

    first = as_staff.post(action_url(booking, failed, "retry"), {"reason": "Bank fixed it"})
    second = as_staff.post(action_url(booking, failed, "retry"), {"reason": "Bank fixed it"})

    assert (first.status_code, second.status_code) == (302, 302)
    assert Refund.objects.count() == 2
    assert task_queue.names().count("refund_execute_task") == 1
    assert BookingEvent.objects.filter(action="refund_retried").count() == 1


def test_a_retry_is_refused_while_another_refund_is_pending(as_staff, booking, payment):
    failed = a_refund(payment, status=RefundStatus.FAILED, amount_paise=99_900)
    a_refund(payment, status=RefundStatus.PENDING, amount_paise=100_000, key="k-2", ref="rfnd_2")

    response = as_staff.post(action_url(booking, failed, "retry"), {"reason": "Bank fixed it"})

    assert response.status_code == 422
    assert (
        "Another refund of this payment is still in progress: check it with Razorpay first."
        in response.content.decode()
    )
    assert Refund.objects.count() == 2
    assert not BookingEvent.objects.exists()


def test_a_retry_is_refused_when_the_payment_is_refunded_in_full(as_staff, booking, payment):
    failed = a_refund(payment, status=RefundStatus.FAILED)
    a_refund(payment, status=RefundStatus.PROCESSED, key="k-2", ref=RETRY_REF)
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.REFUNDED, amount_refunded_paise=PRICE
    )

    response = as_staff.post(action_url(booking, failed, "retry"), {"reason": "Bank fixed it"})

    assert response.status_code == 422
    assert "This payment is already refunded in full." in response.content.decode()
    assert Refund.objects.count() == 2
    assert not BookingEvent.objects.exists()


def test_a_retry_needs_a_reason(as_staff, booking, payment):
    failed = a_refund(payment, status=RefundStatus.FAILED)

    response = as_staff.post(action_url(booking, failed, "retry"), {"reason": ""})

    assert response.status_code == 422
    assert Refund.objects.count() == 1


@responses.activate
@pytest.mark.parametrize(
    ("provider_says", "recorded", "shown"),
    [("processed", RefundStatus.PROCESSED, "refunded"), ("failed", RefundStatus.FAILED, "failed")],
)
def test_checking_a_pending_refund_with_razorpay_records_and_shows_its_state(
    as_staff, booking, payment, provider_says, recorded, shown
):
    pending = a_refund(payment, status=RefundStatus.PENDING)
    responses.get(f"{API}/refunds/{FAILED_REF}", json=refund_entity(status=provider_says))

    response = as_staff.post(
        action_url(booking, pending, "check"), {"reason": "Candidate asked"}, follow=True
    )

    pending.refresh_from_db()
    assert pending.status == recorded
    assert f"The payment provider says the refund is {shown}." in response.content.decode()
    assert last_event(booking) == (
        "refund_checked",
        "Mockri Staff",
        "staff",
        f"₹1,999 refund {FAILED_REF}: in progress -> {shown}: Candidate asked",
    )


def test_a_failed_refund_offers_a_retry_and_a_pending_one_a_check(as_staff, booking, payment):
    failed = a_refund(payment, status=RefundStatus.FAILED, amount_paise=99_900)
    pending = a_refund(
        payment, status=RefundStatus.PENDING, amount_paise=100_000, key="k-2", ref="rfnd_2"
    )

    page = as_staff.get(f"/console/bookings/{booking.reference}/").content.decode()

    assert f'id="refund-{failed.pk}"' in page
    assert f'action="{action_url(booking, failed, "retry")}"' in page
    assert f'action="{action_url(booking, failed, "check")}"' not in page
    assert f'action="{action_url(booking, pending, "check")}"' in page
    assert f'action="{action_url(booking, pending, "retry")}"' not in page
    assert ">Retry the refund</button>" in page
    assert ">Check with Razorpay</button>" in page


def test_a_retried_refund_offers_no_second_retry(as_staff, booking, payment, task_queue):
    failed = a_refund(payment, status=RefundStatus.FAILED)
    as_staff.post(action_url(booking, failed, "retry"), {"reason": "Bank fixed it"})

    page = as_staff.get(f"/console/bookings/{booking.reference}/").content.decode()

    assert f'action="{action_url(booking, failed, "retry")}"' not in page


def test_a_refund_of_another_booking_is_404(
    as_staff, booking, payment, candidate, profile, paid_type
):
    failed = a_refund(payment, status=RefundStatus.FAILED)
    other = past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=paid_type,
        starts_at=SLOT + datetime.timedelta(days=1),
    )

    response = as_staff.post(action_url(other, failed, "retry"), {"reason": "x"})

    assert response.status_code == 404
    assert Refund.objects.count() == 1


@pytest.mark.parametrize("verb", ["retry", "check"])
@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_people_who_are_not_staff_get_404(client, request, two_factor, booking, payment, who, verb):
    refund = a_refund(payment, status=RefundStatus.FAILED)
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    response = client.post(action_url(booking, refund, verb), {"reason": "x"})

    assert response.status_code == 404
    assert Refund.objects.count() == 1
    assert not BookingEvent.objects.exists()


@pytest.mark.parametrize("verb", ["retry", "check"])
def test_staff_without_two_factor_are_sent_to_set_it_up_first(
    client, staff, booking, payment, verb
):
    refund = a_refund(payment, status=RefundStatus.FAILED)
    client.force_login(staff)

    response = client.post(action_url(booking, refund, verb), {"reason": "x"})

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    assert Refund.objects.count() == 1


@pytest.mark.parametrize("status", [RefundStatus.PENDING, RefundStatus.FAILED])
def test_the_queue_links_a_refund_to_its_place_on_the_bookings_page(
    as_staff, booking, payment, status
):
    refund = a_refund(payment, status=status)

    (item,) = attention_refunds(now=NOW)

    assert item.url == f"/console/bookings/{booking.reference}/#refund-{refund.pk}"
    assert f'id="refund-{refund.pk}"' in as_staff.get(item.url).content.decode()


@pytest.fixture
def pack_payment(candidate, paid_type):
    purchase = PackPurchase.objects.create(
        candidate=candidate,
        pack=PackFactory(interview_types=[paid_type], price_paise=300_000),
        sessions=3,
        price_paise=300_000,
        validity_days=60,
    )
    return Payment.objects.create(
        pack_purchase=purchase,
        gateway="razorpay",
        order_ref="order_pack",
        payment_ref=PAYMENT,
        amount_paise=300_000,
        status=PaymentStatus.CAPTURED,
        captured_at=NOW - datetime.timedelta(days=2),
    )


def test_a_pack_purchases_refund_is_fixed_on_its_buyers_page(
    as_staff, candidate, pack_payment, task_queue
):
    failed = a_refund(pack_payment, status=RefundStatus.FAILED, amount_paise=300_000)
    person_url = f"/console/people/{candidate.pk}/"

    (item,) = attention_refunds(now=NOW)
    page = as_staff.get(person_url).content.decode()
    response = as_staff.post(f"{person_url}refunds/{failed.pk}/retry/", {"reason": "Card reissued"})

    assert item.url == f"{person_url}#refund-{failed.pk}"
    assert f'id="refund-{failed.pk}"' in page
    assert f'action="{person_url}refunds/{failed.pk}/retry/"' in page
    assert response.status_code == 302
    assert response.url == f"{person_url}#pack-payments"
    retry = Refund.objects.exclude(pk=failed.pk).get()
    assert (retry.payment, retry.amount_paise) == (pack_payment, 300_000)
    action = StaffAction.objects.get(person=candidate)
    assert (action.action, action.reason) == (
        "refund_retried",
        f"Pack purchase {pack_payment.pack_purchase.reference}: ₹3,000 asked for again after "
        f"refund {FAILED_REF} failed: Card reissued",
    )


def test_a_bookings_refund_cannot_be_acted_on_from_a_persons_page(
    as_staff, candidate, booking, payment
):
    failed = a_refund(payment, status=RefundStatus.FAILED)

    response = as_staff.post(
        f"/console/people/{candidate.pk}/refunds/{failed.pk}/retry/", {"reason": "x"}
    )

    assert response.status_code == 404
    assert Refund.objects.count() == 1


@responses.activate
def test_a_pack_purchases_pending_refund_is_checked_from_its_buyers_page(
    as_staff, candidate, pack_payment
):
    pending = a_refund(pack_payment, status=RefundStatus.PENDING, amount_paise=300_000)
    responses.get(f"{API}/refunds/{FAILED_REF}", json=refund_entity(amount=300_000))

    response = as_staff.post(
        f"/console/people/{candidate.pk}/refunds/{pending.pk}/check/", {"reason": "Asked"}
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RefundStatus.PROCESSED
    assert StaffAction.objects.get(person=candidate).action == "refund_checked"


def test_the_refund_request_body_is_the_documented_one(as_staff, booking, payment, task_queue):
    """What the retry sends: the failed amount, normal speed, the booking in the notes."""
    failed = a_refund(payment, status=RefundStatus.FAILED)
    as_staff.post(action_url(booking, failed, "retry"), {"reason": "Bank fixed it"})

    with responses.RequestsMock() as api:
        created = api.post(
            f"{API}/payments/{PAYMENT}/refund", json=refund_entity(id=RETRY_REF, status="pending")
        )
        task_queue.run_all_except("earning_reverse_refunds_task")

    assert json.loads(created.calls[0].request.body) == {
        "amount": PRICE,
        "speed": "normal",
        "notes": {"booking": booking.reference},
    }
    assert Refund.objects.get(provider_ref=RETRY_REF).status == RefundStatus.PENDING


def booking_page_queries(client, booking) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/console/bookings/{booking.reference}/").status_code == 200
    return len(queries)


def test_the_booking_page_takes_the_same_queries_for_1_and_3_payments_with_refunds(
    as_staff, booking, payment
):
    a_refund(payment, status=RefundStatus.FAILED, amount_paise=1_000)
    as_staff.get("/console/")  # the session and consent checks settle on the first request
    with_one = booking_page_queries(as_staff, booking)
    for n in range(2):
        more = Payment.objects.create(
            booking=booking,
            gateway="razorpay",
            order_ref=f"order_more{n}",
            payment_ref=f"pay_more{n}",
            amount_paise=PRICE,
            status=PaymentStatus.CAPTURED,
        )
        for m in range(2):
            a_refund(more, status=RefundStatus.PENDING, key=f"k{n}{m}", ref=f"rfnd_{n}{m}")

    assert booking_page_queries(as_staff, booking) == with_one
