"""The operations console's pages: /console/, search, the booking list and a booking's story."""

import datetime

import pytest
from django.urls import reverse

from mockri.bookings.enums import Actor, BookingStatus, FileKind
from mockri.bookings.models import Booking, BookingEvent, FileAccess
from mockri.feedback.enums import HireSignal
from mockri.feedback.models import Feedback, Rating
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.operations.lookup import free_interviewers_for
from mockri.operations.selectors import ATTENTION_KINDS
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Receipt, Refund
from tests.factories import UserFactory
from tests.fixtures import NOW, SLOT, SLOT_BOTH, past_session

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def as_staff(now, client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


@pytest.fixture
def session(now, candidate, profile, paid_type):
    def make(*, starts_at=SLOT, status=BookingStatus.CONFIRMED, candidate=candidate, **fields):
        booking = past_session(
            candidate=candidate,
            interviewer=fields.pop("interviewer", profile),
            interview_type=fields.pop("interview_type", paid_type),
            starts_at=starts_at,
            status=status,
        )
        return booking

    return make


def paid(booking, *, order_ref="order_Q1", payment_ref="pay_Q1") -> Payment:
    payment = Payment.objects.create(
        booking=booking,
        gateway="razorpay",
        order_ref=order_ref,
        payment_ref=payment_ref,
        amount_paise=booking.price_paise,
        status=PaymentStatus.CAPTURED,
        captured_at=NOW - HOUR,
        method="upi",
    )
    Receipt.objects.create(payment=payment)
    return payment


def email(booking, *, kind="booking_confirmed", status=OutboxStatus.SENT, **fields) -> OutboxEmail:
    return OutboxEmail.objects.create(
        kind=kind,
        booking=booking,
        recipient=booking.candidate,
        to_address=booking.candidate.email,
        dedupe_key=fields.pop("dedupe_key", f"{kind}:{booking.pk}"),
        subject="Mockri: your session",
        text_body="Your session is booked.",
        status=status,
        **{"html_body": "<p>Your session is booked.</p>", **fields},
    )


CONSOLE_PAGES = [
    ("get", "/console/"),
    ("get", "/console/search/?q=kavya"),
    ("get", "/console/bookings/"),
    ("get", "/console/bookings/{ref}/"),
    ("post", "/console/bookings/{ref}/reassign/"),
    ("post", "/console/bookings/{ref}/cancel/"),
    ("post", "/console/bookings/{ref}/outcome/"),
    ("post", "/console/bookings/{ref}/emails/{email}/resend/"),
    ("get", "/console/emails/{email}/"),
]


def _url(path, booking, sent):
    return path.format(ref=booking.reference, email=sent.pk)


@pytest.mark.parametrize(("method", "path"), CONSOLE_PAGES)
@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_people_who_are_not_staff_get_404_on_every_console_page(
    client, request, two_factor, session, who, method, path
):
    booking = session()
    sent = email(booking)
    user = request.getfixturevalue(who)
    two_factor(user)
    client.force_login(user)

    response = getattr(client, method)(_url(path, booking, sent), {"reason": "x"})

    assert response.status_code == 404
    assert BookingEvent.objects.count() == 0


@pytest.mark.parametrize(("method", "path"), CONSOLE_PAGES)
def test_staff_without_two_factor_are_sent_to_set_it_up_first(client, staff, session, method, path):
    booking = session()
    sent = email(booking)
    client.force_login(staff)

    response = getattr(client, method)(_url(path, booking, sent), {"reason": "x"})

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_visitors_are_asked_to_sign_in(client):
    response = client.get("/console/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/console/"


def test_the_home_page_shows_the_needs_attention_count_and_queue(as_staff, session):
    soon = session(starts_at=NOW + 3 * HOUR)

    response = as_staff.get("/console/")

    assert response.status_code == 200
    assert response.context["attention_count"] == 1
    page = response.content.decode()
    assert '<span class="badge" data-testid="attention-count">1</span>' in page
    assert f'<a href="/console/bookings/{soon.reference}/#meeting">' in page
    assert '<strong class="metric-cards__value" data-kind="missing_link">1</strong>' in page


# --- Search ---------------------------------------------------------------------------------


def test_searching_a_booking_reference_opens_the_booking(as_staff, session):
    booking = session()

    response = as_staff.get("/console/search/", {"q": booking.reference.lower()})

    assert response.status_code == 302
    assert response.url == f"/console/bookings/{booking.reference}/"


@pytest.mark.parametrize("query", ["MKR-{receipt:06d}", "mkr{receipt}", "order_Q1", "pay_Q1"])
def test_searching_a_receipt_or_razorpay_id_finds_the_payment_and_its_booking(
    as_staff, session, query
):
    booking = session()
    payment = paid(booking)
    session(starts_at=SLOT + 24 * HOUR)  # another booking, not found

    response = as_staff.get("/console/search/", {"q": query.format(receipt=payment.receipt.pk)})

    results = response.context["results"]
    assert results.payments == [payment]
    assert results.bookings == [booking]
    assert f'href="/console/bookings/{booking.reference}/#payments"' in response.content.decode()


@pytest.mark.parametrize("query", ["kavya@example", "Kavya Sh"])
def test_searching_an_email_or_name_finds_the_person_and_their_bookings(
    as_staff, session, other_candidate, query
):
    booking = session()
    session(starts_at=SLOT + 24 * HOUR, candidate=other_candidate)

    response = as_staff.get("/console/search/", {"q": query})

    results = response.context["results"]
    assert [person.email for person in results.people] == ["kavya@example.com"]
    assert results.bookings == [booking]


@pytest.mark.parametrize("query", ["", "k", "nothing-like-this", "%", "x" * 300])
def test_a_search_that_finds_nothing_says_so(as_staff, session, query):
    session()

    response = as_staff.get("/console/search/", {"q": query})

    assert response.status_code == 200
    assert response.context["results"].empty


# --- The booking list -------------------------------------------------------------------------


def test_the_booking_list_filters_by_status_type_interviewer_and_dates(
    as_staff, session, other_profile, free_type
):
    confirmed = session()
    cancelled = session(starts_at=SLOT + 24 * HOUR, status=BookingStatus.CANCELLED)
    free_type.interviewers.add(other_profile)
    other = session(starts_at=SLOT + 48 * HOUR, interviewer=other_profile, interview_type=free_type)

    def listed(**filters):
        response = as_staff.get("/console/bookings/", filters)
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert listed() == [other, cancelled, confirmed]
    assert listed(status="cancelled") == [cancelled]
    assert listed(interview_type=free_type.pk) == [other]
    assert listed(interviewer=other_profile.pk) == [other]
    # India's days: SLOT is 2 December, 10:00 IST.
    assert listed(starts_from="2026-12-03") == [other, cancelled]
    assert listed(starts_to="2026-12-02") == [confirmed]
    assert listed(status="not-a-status") == [other, cancelled, confirmed]


def test_the_booking_list_shows_only_bookings_needing_attention_when_asked(as_staff, session):
    soon = session(starts_at=NOW + 3 * HOUR)
    session()

    response = as_staff.get("/console/bookings/", {"attention": "on"})

    assert list(response.context["page"].object_list) == [soon]


def test_the_booking_list_filters_by_person(as_staff, session, candidate, other_candidate):
    mine = session()
    session(starts_at=SLOT + 24 * HOUR, candidate=other_candidate)

    response = as_staff.get("/console/bookings/", {"person": candidate.pk})

    assert list(response.context["page"].object_list) == [mine]


def test_the_booking_list_is_paginated(as_staff, session):
    for day in range(27):
        session(starts_at=SLOT + day * 24 * HOUR)

    first = as_staff.get("/console/bookings/")
    second = as_staff.get("/console/bookings/", {"page": "2"})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert 'href="?&amp;page=2">Next</a>' in first.content.decode()


def _list_queries(as_staff, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = as_staff.get("/console/bookings/")
    assert response.status_code == 200
    return response


# The session with its user, consent and two-factor checks, the breach banner and the session's
# save (savepoint, update, release); then the page's own: one per needs-attention kind, the count
# and the page of bookings, and the filter form's two lists (types, interviewers).
PAGE_QUERIES = 3 + 1 + 3 + len(ATTENTION_KINDS) + 2 + 2


@pytest.mark.parametrize("rows", [1, 3])
def test_the_booking_list_takes_the_same_queries_for_1_and_3_bookings(
    as_staff, session, django_assert_num_queries, rows
):
    for day in range(rows):
        session(starts_at=SLOT + day * 24 * HOUR)

    response = _list_queries(as_staff, django_assert_num_queries, PAGE_QUERIES)

    assert len(response.context["page"].object_list) == rows


def test_the_booking_list_queries_do_not_grow_with_the_rows(
    as_staff, session, django_assert_max_num_queries
):
    for day in range(60):
        session(starts_at=SLOT + day * 24 * HOUR)

    with django_assert_max_num_queries(PAGE_QUERIES):
        as_staff.get("/console/bookings/")


# --- A booking's story ---------------------------------------------------------------------


def test_an_unknown_booking_is_404(as_staff):
    assert as_staff.get("/console/bookings/MK-NOPE/").status_code == 404


def test_the_booking_page_tells_everything_that_happened_in_order(
    as_staff, session, candidate, interviewer
):
    booking = session(starts_at=NOW - 3 * HOUR, status=BookingStatus.COMPLETED)
    payment = paid(booking)
    Refund.objects.create(
        payment=payment,
        idempotency_key="r1",
        amount_paise=50_000,
        reason="Goodwill",
        status=RefundStatus.PENDING,
    )
    Meeting.objects.create(
        booking=booking, provider="jitsi", url="https://meet.jit.si/x", status=MeetingStatus.READY
    )
    confirmed = email(booking)
    reset = email(booking, kind="password_reset_key", html_body="")
    FileAccess.objects.create(
        booking=booking,
        kind=FileKind.RESUME,
        file_name="cv.pdf",
        accessed_by=interviewer,
        accessed_by_role=Actor.INTERVIEWER,
    )
    BookingEvent.objects.create(
        booking=booking, actor=None, actor_role=Actor.SYSTEM, action="confirmed"
    )
    Feedback.objects.create(
        booking=booking,
        hire_signal=HireSignal.YES,
        strengths="Clear",
        areas_to_improve="Pace",
        submitted_at=NOW,
    )
    Rating.objects.create(booking=booking, score=5, comment="Great", created_at=NOW, updated_at=NOW)

    response = as_staff.get(f"/console/bookings/{booking.reference}/")

    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert sorted(entry.kind for entry in timeline) == sorted(
        [
            "event",
            "payment",
            "payment",
            "refund",
            "meeting",
            "email",
            "email",
            "file",
            "feedback",
            "rating",
        ]
    )
    page = response.content.decode()
    assert f'href="/console/emails/{confirmed.pk}/"' in page
    assert f'href="/console/emails/{reset.pk}/"' not in page
    assert "Its body held a one-time link or code and is not kept." in page
    assert f"Opened the resume cv.pdf</strong> by {interviewer.full_name} (Interviewer)" in page
    assert "Candidate rated the interviewer 5 of 5" in page
    assert "; receipt MKR-" in page


def test_the_booking_page_shows_times_in_the_operators_zone(as_staff, staff, session):
    staff.timezone = "Europe/London"
    staff.save()
    booking = session()  # 04:30 UTC

    page = as_staff.get(f"/console/bookings/{booking.reference}/").content.decode()

    assert "at 4:30 am GMT" in page


def test_the_booking_page_lists_the_free_interviewers_who_take_its_type(
    as_staff, session, paid_type, other_profile
):
    booking = session(starts_at=SLOT_BOTH)  # 9:30 am in London, within Sarah's hours
    paid_type.interviewers.add(other_profile)

    response = as_staff.get(f"/console/bookings/{booking.reference}/")

    assert response.context["free_interviewers"] == [other_profile]


def test_an_interviewer_busy_then_is_not_offered(as_staff, session, paid_type, other_profile):
    booking = session(starts_at=SLOT_BOTH)
    paid_type.interviewers.add(other_profile)
    session(starts_at=SLOT_BOTH, interviewer=other_profile, candidate=UserFactory())

    response = as_staff.get(f"/console/bookings/{booking.reference}/")

    assert response.context["free_interviewers"] == []


def test_an_interviewer_outside_their_weekly_hours_then_is_not_offered(
    as_staff, session, paid_type, other_profile
):
    booking = session(starts_at=SLOT)  # 4:30 am in London: Sarah works 9 am to 6 pm
    paid_type.interviewers.add(other_profile)

    response = as_staff.get(f"/console/bookings/{booking.reference}/")

    assert response.context["free_interviewers"] == []


def test_an_interviewer_whose_buffer_would_be_cut_short_is_not_offered(
    as_staff, session, paid_type, other_profile
):
    booking = session(starts_at=SLOT_BOTH)
    paid_type.interviewers.add(other_profile)
    # Sarah's session ends 5 minutes before this one starts; she keeps 15 minutes between.
    session(
        starts_at=SLOT_BOTH - datetime.timedelta(minutes=5 + paid_type.duration_minutes),
        interviewer=other_profile,
        candidate=UserFactory(),
    )

    response = as_staff.get(f"/console/bookings/{booking.reference}/")

    assert response.context["free_interviewers"] == []


def test_an_interviewer_is_offered_at_short_notice_and_off_their_half_hours(
    session, paid_type, other_profile
):
    # The rescue case: an hour to go, at 9:40 am in London (Sarah's starts are on the half hour).
    booking = session(starts_at=SLOT_BOTH + datetime.timedelta(minutes=10))
    paid_type.interviewers.add(other_profile)

    free = free_interviewers_for(booking=booking, now=SLOT_BOTH - datetime.timedelta(minutes=50))

    assert free == [other_profile]


def test_staff_see_an_emails_html(as_staff, session):
    sent = email(session())

    response = as_staff.get(f"/console/emails/{sent.pk}/")

    assert response.content == b"<p>Your session is booked.</p>"


def test_a_one_time_emails_body_is_never_shown(as_staff, session):
    reset = email(session(), kind="password_reset_key", html_body="<a>reset link</a>")

    assert as_staff.get(f"/console/emails/{reset.pk}/").status_code == 404


def test_the_booking_list_survives_odd_input(as_staff):
    for query in [
        {"page": "x"},
        {"page": "999"},
        {"starts_from": "2026-13-45"},
        {"interviewer": "abc"},
        {"person": "-1"},
    ]:
        assert as_staff.get("/console/bookings/", query).status_code == 200
    assert Booking.objects.count() == 0
