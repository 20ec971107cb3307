"""Unpaid holds: at most a few per candidate at once, and a hold that ran out frees its slot at
once, whether or not the worker that expires holds has run."""

import datetime
import uuid

import pytest
from django.urls import reverse

from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.models import Booking, BookingEvent
from mockri.bookings.services import (
    booking_confirm_payment,
    booking_reassign,
    booking_reschedule,
)
from mockri.lib.errors import PolicyViolation
from tests.bookings.test_views import booking_post, details_url
from tests.factories import UserFactory
from tests.fixtures import NOW, SLOT, SLOT_BOTH, slot_link

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
# Just after a 15-minute hold made at NOW ran out.
AFTER_HOLD = NOW + datetime.timedelta(minutes=16)
CAP_MESSAGE = (
    "You already have 2 sessions waiting for payment. Pay for one of them, or cancel it, before "
    "booking another time."
)


def stored_files(private_storage) -> int:
    folder = private_storage / "bookings"
    return len(list(folder.iterdir())) if folder.exists() else 0


# --- The cap on unpaid holds -------------------------------------------------------------------


def test_a_candidate_may_hold_two_unpaid_sessions_and_no_third(
    now, candidate, paid_type, profile, book, private_storage
):
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT)
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT + 2 * HOUR)

    with pytest.raises(PolicyViolation) as refused:
        book(candidate=candidate, interview_type=paid_type, starts_at=SLOT + 4 * HOUR)

    assert refused.value.message == CAP_MESSAGE
    assert Booking.objects.filter(candidate=candidate).count() == 2
    assert stored_files(private_storage) == 2  # the refused booking's resume was not kept


def test_the_cap_on_unpaid_holds_is_a_setting(now, candidate, paid_type, profile, book, settings):
    settings.BOOKING_MAX_UNPAID_HOLDS = 1
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT)

    with pytest.raises(PolicyViolation, match="You already have 1 sessions waiting"):
        book(candidate=candidate, interview_type=paid_type, starts_at=SLOT + 2 * HOUR)


def test_paid_and_run_out_holds_do_not_count_towards_the_cap(
    now, candidate, paid_type, profile, book
):
    booking_confirm_payment(book(candidate=candidate, interview_type=paid_type, starts_at=SLOT))
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT + 2 * HOUR, now=NOW)
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT + 4 * HOUR, now=NOW)

    # Both holds ran out (the worker has not expired them): two new ones are allowed.
    later = book(
        candidate=candidate, interview_type=paid_type, starts_at=SLOT + 6 * HOUR, now=AFTER_HOLD
    )

    assert later.status == BookingStatus.PENDING_PAYMENT


def test_a_refused_third_hold_keeps_the_form_filled_and_stores_nothing(
    client, now, candidate, paid_type, profile, book, private_storage
):
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT)
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT + 2 * HOUR)
    client.force_login(candidate)

    start = SLOT + 4 * HOUR
    response = client.post(
        details_url(paid_type, start=start),
        booking_post(start, target_company="Zerodha", idempotency_key=str(uuid.uuid4())),
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "You already have 2 sessions waiting for payment." in page
    assert 'value="Zerodha"' in page
    assert Booking.objects.filter(candidate=candidate).count() == 2
    assert stored_files(private_storage) == 2


def test_the_details_page_turns_away_a_candidate_at_the_cap(
    client, now, candidate, paid_type, profile, book
):
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT)
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT + 2 * HOUR)
    client.force_login(candidate)

    response = client.get(details_url(paid_type, start=SLOT + 4 * HOUR), follow=True)

    assert response.redirect_chain[0][0] == paid_type.get_absolute_url()
    assert [str(m) for m in response.context["messages"]] == [CAP_MESSAGE]


# --- Rate limits on the booking form -----------------------------------------------------------


def test_one_account_may_post_the_booking_form_five_times_a_minute(
    client, now, candidate, paid_type, profile, private_storage, shared_cache
):
    client.force_login(candidate)

    # Posts without a resume: refused by the form, but each counts.
    statuses = [
        client.post(details_url(paid_type), booking_post(resume=None)).status_code for _ in range(6)
    ]

    assert statuses == [422] * 5 + [429]
    assert (
        "Please wait a minute and try again."
        in client.post(details_url(paid_type), booking_post()).content.decode()
    )
    assert not Booking.objects.exists()
    assert stored_files(private_storage) == 0


def test_one_address_may_post_the_booking_form_twenty_times_a_minute(
    client, now, paid_type, profile, shared_cache
):
    statuses = []
    for _ in range(5):
        client.force_login(UserFactory())
        statuses += [
            client.post(details_url(paid_type), booking_post(resume=None)).status_code
            for _ in range(4)
        ]
    client.force_login(UserFactory())
    statuses.append(client.post(details_url(paid_type), booking_post(resume=None)).status_code)

    assert statuses == [422] * 20 + [429]


# --- A hold that ran out frees its slot at once ------------------------------------------------


def test_the_slot_picker_offers_a_slot_whose_hold_ran_out_before_the_worker_ran(
    client, now, candidate, paid_type, profile, book, time_machine
):
    book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    held = client.get(url, {"interviewer": profile.slug}).content.decode()

    time_machine.move_to(AFTER_HOLD, tick=False)
    freed = client.get(url, {"interviewer": profile.slug}).content.decode()

    assert slot_link(SLOT) not in held
    assert slot_link(SLOT) in freed


def test_a_slot_whose_hold_ran_out_can_be_booked_and_the_hold_expires_with_it(
    now, candidate, other_candidate, paid_type, profile, book
):
    stale = book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    fresh = book(
        candidate=other_candidate, interview_type=paid_type, interviewer=profile, now=AFTER_HOLD
    )

    stale.refresh_from_db()
    assert (fresh.status, stale.status) == (BookingStatus.PENDING_PAYMENT, BookingStatus.EXPIRED)
    assert list(
        BookingEvent.objects.filter(booking=stale).values_list("action", "actor_role", "detail")
    ) == [
        ("created", Actor.CANDIDATE, ""),
        ("expired", Actor.SYSTEM, "The payment hold ran out."),
    ]
    assert not stale.files.exists()


def test_the_candidate_can_take_another_time_over_their_own_run_out_hold(
    now, candidate, paid_type, profile, other_profile, book
):
    paid_type.interviewers.add(other_profile)
    book(candidate=candidate, interview_type=paid_type, interviewer=profile, starts_at=SLOT_BOTH)

    again = book(
        candidate=candidate,
        interview_type=paid_type,
        interviewer=other_profile,
        starts_at=SLOT_BOTH,
        now=AFTER_HOLD,
    )

    assert again.status == BookingStatus.PENDING_PAYMENT


def test_a_session_can_be_moved_onto_a_hold_that_ran_out(
    now, candidate, other_candidate, free_type, paid_type, profile, book
):
    session = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    stale = book(
        candidate=other_candidate,
        interview_type=paid_type,
        interviewer=profile,
        starts_at=SLOT + 3 * HOUR,
    )

    moved = booking_reschedule(
        session,
        actor=candidate,
        actor_role=Actor.CANDIDATE,
        new_start=SLOT + 3 * HOUR,
        now=AFTER_HOLD,
    )

    stale.refresh_from_db()
    assert (moved.starts_at, stale.status) == (SLOT + 3 * HOUR, BookingStatus.EXPIRED)


def test_staff_can_reassign_to_an_interviewer_whose_hold_ran_out(
    now, candidate, other_candidate, staff, paid_type, profile, other_profile, book, time_machine
):
    paid_type.interviewers.add(other_profile)
    session = book(
        candidate=candidate, interview_type=paid_type, interviewer=profile, starts_at=SLOT_BOTH
    )
    stale = book(
        candidate=other_candidate,
        interview_type=paid_type,
        interviewer=other_profile,
        starts_at=SLOT_BOTH,
    )
    booking_confirm_payment(session)
    time_machine.move_to(AFTER_HOLD, tick=False)

    moved = booking_reassign(session, staff_user=staff, interviewer=other_profile)

    stale.refresh_from_db()
    assert (moved.interviewer, stale.status) == (other_profile, BookingStatus.EXPIRED)
