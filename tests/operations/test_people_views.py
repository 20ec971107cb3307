"""A person's console page, /console/people/<pk>/, its actions (each kept with who, when and
why), and the email log, /console/emails/."""

import datetime

import pytest
from allauth.usersessions.models import UserSession

from mockri.accounts.models import Session
from mockri.bookings.enums import BookingStatus
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.operations.models import StaffAction
from mockri.operations.selectors import ATTENTION_KINDS
from mockri.packs.models import PackPurchase
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment, Refund
from mockri.privacy.models import DataExport, Grievance, GrievanceKind
from tests.factories import PackFactory, UserFactory
from tests.fixtures import NOW, SLOT, past_session

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def as_staff(now, client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


def pack_purchase_of(person, interview_type) -> PackPurchase:
    pack = PackFactory(interview_types=[interview_type], price_paise=300_000)
    return PackPurchase.objects.create(
        candidate=person, pack=pack, sessions=3, price_paise=300_000, validity_days=60
    )


def page_of(person) -> str:
    return f"/console/people/{person.pk}/"


def request_from(person, *, kind=GrievanceKind.ACCESS, confirmed=True, reference="GR-1"):
    return Grievance.objects.create(
        reference=reference,
        user=person if confirmed else None,
        name=person.full_name,
        email=person.email,
        kind=kind,
        message="Please act on my data.",
        due_at=NOW + 30 * DAY,
        verified_at=NOW if confirmed else None,
    )


def device_of(person, key="k1") -> UserSession:
    Session.objects.create(session_key=key, session_data="", expire_date=NOW + DAY, user=person)
    return UserSession.objects.create(
        user=person, ip="203.0.113.7", session_key=key, user_agent="Firefox on Linux"
    )


def outbox(person, *, kind="booking_confirmed", status=OutboxStatus.SENT, booking=None, **f):
    fields = {"subject": "Subject", "text_body": "Body", "html_body": "<p>Body</p>", **f}
    return OutboxEmail.objects.create(
        kind=kind,
        booking=booking,
        recipient=person,
        to_address=person.email,
        dedupe_key=f"{kind}:{person.pk}:{OutboxEmail.objects.count()}",
        status=status,
        **fields,
    )


def test_a_persons_page_shows_everything_about_them(as_staff, candidate, profile, paid_type):
    booking = past_session(
        candidate=candidate, interviewer=profile, interview_type=paid_type, starts_at=SLOT,
        status=BookingStatus.CONFIRMED,
    )  # fmt: skip
    Payment.objects.create(
        booking=booking, gateway="test", order_ref="order_P1", amount_paise=199_900,
        status=PaymentStatus.CAPTURED, captured_at=NOW,
    )  # fmt: skip
    outbox(candidate, status=OutboxStatus.FAILED, attempts=5, last_error="Mailbox full")
    request_from(candidate)
    DataExport.objects.create(user=candidate, requested_by=candidate, token_sha256="x" * 64)
    device_of(candidate)

    page = as_staff.get(page_of(candidate)).content.decode()

    assert "Kavya Sharma" in page and "kavya@example.com · confirmed" in page
    assert booking.reference in page
    assert "order_P1" in page and "₹1,999" in page
    assert "Mailbox full" in page
    assert "GR-1</strong> A copy of my data · Open" in page
    assert "confirmed by the owner" in page
    assert "Preparing" in page
    assert "Firefox on Linux · 203.0.113.7" in page


def test_people_who_are_not_staff_and_unknown_people_get_404(
    client, two_factor, candidate, as_staff
):
    assert as_staff.get("/console/people/999999/").status_code == 404
    client.logout()
    two_factor(candidate)
    client.force_login(candidate)
    assert client.get(page_of(candidate)).status_code == 404


# The session with its user, consent and two-factor checks, the breach banner, the session's save
# (3); the person and their eleven sections (pack purchases with their refunds: two); the
# header's "needs attention" count.
PERSON_QUERIES = 4 + 3 + 1 + 11 + len(ATTENTION_KINDS)


@pytest.mark.parametrize("rows", [1, 3])
def test_a_persons_page_takes_the_same_queries_for_1_and_3_of_everything(
    as_staff, candidate, profile, paid_type, django_assert_num_queries, rows
):
    for n in range(rows):
        booking = past_session(
            candidate=candidate, interviewer=profile, interview_type=paid_type,
            starts_at=SLOT + n * DAY, status=BookingStatus.CONFIRMED,
        )  # fmt: skip
        Payment.objects.create(booking=booking, gateway="test", order_ref=f"o{n}", amount_paise=1)
        pack_payment = Payment.objects.create(
            pack_purchase=pack_purchase_of(candidate, paid_type),
            gateway="test",
            order_ref=f"op{n}",
            amount_paise=1,
        )
        Refund.objects.create(payment=pack_payment, idempotency_key=f"r{n}", amount_paise=1)
        outbox(candidate, booking=booking)
        request_from(candidate, reference=f"GR-{n}")
        device_of(candidate, key=f"k{n}")
        StaffAction.objects.create(person=candidate, action="sessions_ended", reason="x")

    with django_assert_num_queries(PERSON_QUERIES):
        response = as_staff.get(page_of(candidate))

    story = response.context["story"]
    assert (len(story.bookings), len(story.pack_payments)) == (rows, rows)


def test_staff_resend_the_confirmation_link_with_the_reason_kept(as_staff, staff):
    person = UserFactory(email="new@example.com", email_verified=False)

    response = as_staff.post(
        f"{page_of(person)}verification/", {"verify-reason": "Lost the first email"}
    )

    assert response.status_code == 302
    sent = OutboxEmail.objects.get(to_address="new@example.com")
    assert sent.kind == "email_confirmation"
    action = StaffAction.objects.get(person=person)
    assert (action.action, action.staff, action.reason) == (
        "verification_resent",
        staff,
        "Lost the first email",
    )
    page = as_staff.get(page_of(person)).content.decode()
    assert "Verification resent</strong> by Mockri Staff" in page
    assert "Lost the first email" in page


def test_a_confirmed_address_gets_no_new_link(as_staff, candidate):
    response = as_staff.post(f"{page_of(candidate)}verification/", {"verify-reason": "Asked"})

    assert response.status_code == 422
    assert "kavya@example.com is already confirmed." in response.content.decode()
    assert not OutboxEmail.objects.exists()
    assert not StaffAction.objects.exists()


def test_every_action_needs_a_reason(as_staff, candidate):
    device_of(candidate)

    response = as_staff.post(f"{page_of(candidate)}sessions/end/", {"sessions-reason": ""})

    assert response.status_code == 422
    assert UserSession.objects.filter(user=candidate).count() == 1


def test_staff_sign_a_person_out_everywhere(as_staff, candidate):
    device_of(candidate, "k1")
    device_of(candidate, "k2")

    response = as_staff.post(
        f"{page_of(candidate)}sessions/end/", {"sessions-reason": "Lost their phone"}
    )

    assert response.status_code == 302
    assert not UserSession.objects.filter(user=candidate).exists()
    assert not Session.objects.filter(session_key__in=["k1", "k2"]).exists()
    assert StaffAction.objects.get(person=candidate).reason == "Lost their phone"


def test_staff_start_an_export_for_a_confirmed_access_request(
    as_staff, staff, candidate, task_queue
):
    grievance = request_from(candidate)

    response = as_staff.post(
        f"{page_of(candidate)}export/",
        {"export-request": grievance.pk, "export-reason": "Answered by email"},
    )

    assert response.status_code == 302
    export = DataExport.objects.get(user=candidate)
    assert export.requested_by == staff
    assert "data_export_build_task" in task_queue.names()
    assert StaffAction.objects.get(person=candidate).reason == "GR-1: Answered by email"


def test_an_unconfirmed_request_is_not_acted_on(as_staff, candidate):
    grievance = request_from(candidate, confirmed=False)

    response = as_staff.post(
        f"{page_of(candidate)}export/",
        {"export-request": grievance.pk, "export-reason": "Asked"},
    )

    assert response.status_code == 422
    assert not DataExport.objects.exists()
    assert "Send them a copy of their data" not in response.content.decode()


def test_staff_delete_an_account_for_a_confirmed_erasure_request(as_staff, candidate, task_queue):
    grievance = request_from(candidate, kind=GrievanceKind.ERASURE)

    response = as_staff.post(
        f"{page_of(candidate)}erasure/",
        {"erasure-request": grievance.pk, "erasure-reason": "Identity checked"},
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.erased_at == NOW
    assert "account_erase_task" in task_queue.names()
    assert StaffAction.objects.get(person=candidate).action == "erasure_started"


def test_an_access_request_does_not_delete_the_account(as_staff, candidate):
    grievance = request_from(candidate, kind=GrievanceKind.ACCESS)

    response = as_staff.post(
        f"{page_of(candidate)}erasure/",
        {"erasure-request": grievance.pk, "erasure-reason": "x"},
    )

    assert response.status_code == 422
    candidate.refresh_from_db()
    assert candidate.erased_at is None


# --- The email log ---------------------------------------------------------------------------


def test_the_email_log_finds_emails_by_recipient_kind_and_status(as_staff, candidate, staff):
    failed = outbox(candidate, status=OutboxStatus.FAILED, attempts=5, last_error="Mailbox full")
    outbox(candidate, kind="reminder_24h")
    outbox(staff)

    by_address = as_staff.get("/console/emails/", {"to": "kavya@"})
    by_kind = as_staff.get("/console/emails/", {"kind": "reminder_24h"})
    by_status = as_staff.get("/console/emails/", {"status": "failed"})

    assert len(by_address.context["page"].object_list) == 2
    assert [e.kind for e in by_kind.context["page"].object_list] == ["reminder_24h"]
    assert list(by_status.context["page"].object_list) == [failed]
    page = by_status.content.decode()
    assert "Mailbox full" in page and '<td class="num">5</td>' in page
    assert f'href="/console/emails/{failed.pk}/"' in page


def test_the_email_log_never_offers_a_one_time_body(as_staff, candidate):
    reset = outbox(candidate, kind="password_reset_key", html_body="", text_body="[Removed]")

    page = as_staff.get("/console/emails/").content.decode()

    assert f'href="/console/emails/{reset.pk}/"' not in page
    assert f"/console/emails/{reset.pk}/resend/" not in page
    assert "One-time link or code: body not kept" in page
    assert as_staff.get(f"/console/emails/{reset.pk}/").status_code == 404


def test_a_failed_email_without_a_booking_is_retried_and_kept_on_the_persons_page(
    as_staff, candidate, task_queue
):
    failed = outbox(candidate, status=OutboxStatus.FAILED, attempts=5)

    response = as_staff.post(
        f"/console/emails/{failed.pk}/resend/", {"reason": "Inbox fixed", "back": "status=failed"}
    )

    assert response.status_code == 302
    assert response.url == "/console/emails/?status=failed"
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.QUEUED, 0)
    action = StaffAction.objects.get(person=candidate)
    assert action.reason == "booking_confirmed to kavya@example.com: Inbox fixed"


def test_a_one_time_email_is_not_sent_again(as_staff, candidate):
    reset = outbox(candidate, kind="password_reset_key", status=OutboxStatus.FAILED)

    as_staff.post(f"/console/emails/{reset.pk}/resend/", {"reason": "Asked"})

    reset.refresh_from_db()
    assert reset.status == OutboxStatus.FAILED
    assert not StaffAction.objects.exists()


# The session with its user, consent and two-factor checks, the breach banner, the session's save
# (3); the kinds for the filter, the count and the page of emails; the "needs attention" count.
EMAIL_LOG_QUERIES = 4 + 3 + 3 + len(ATTENTION_KINDS)


@pytest.mark.parametrize("rows", [1, 3])
def test_the_email_log_takes_the_same_queries_for_1_and_3_emails(
    as_staff, candidate, django_assert_num_queries, rows
):
    for _ in range(rows):
        outbox(candidate)

    with django_assert_num_queries(EMAIL_LOG_QUERIES):
        response = as_staff.get("/console/emails/")

    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize(
    "query",
    [{"page": "x"}, {"page": "9999"}, {"kind": "nope"}, {"status": "bogus"}, {"to": "a" * 400}],
)
def test_the_email_log_survives_odd_input(as_staff, query):
    assert as_staff.get("/console/emails/", query).status_code == 200
