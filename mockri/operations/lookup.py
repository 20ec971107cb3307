"""The console's reads about bookings, people and payments: finding them, listing them and
telling one booking's whole story. Staff only: the views check that before calling these."""

import dataclasses
import datetime
import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from mockri.accounts.emails import ACCESS_EMAILS
from mockri.accounts.models import User
from mockri.bookings.models import Booking
from mockri.bookings.selectors import availabilities_for
from mockri.catalogue.models import InterviewerProfile
from mockri.feedback.models import Feedback, Rating
from mockri.lib.money import format_inr
from mockri.meetings.models import Meeting
from mockri.notifications.models import OutboxEmail
from mockri.payments.enums import RefundStatus
from mockri.payments.models import Payment, Refund
from mockri.payments.services import REFUND_IN_PROGRESS, refund_retry_key
from mockri.scheduling.slots import InterviewerAvailability, Slot, open_slots, slot_is_open

SEARCH_LIMIT = 20  # per kind of result
_RECEIPT = re.compile(r"^MKR-?(\d{1,9})$", re.IGNORECASE)
_BOOKING_LIST_RELATED = ("candidate", "interviewer", "interview_type")


@dataclass(frozen=True)
class SearchResults:
    bookings: list[Booking]
    people: list[User]
    payments: list[Payment]

    @property
    def empty(self) -> bool:
        return not (self.bookings or self.people or self.payments)


def console_search(*, query: str) -> SearchResults:
    """What one search box finds: a booking reference, a receipt number (MKR-000012), a
    Razorpay order or payment id, or a person's email or name. Three bounded queries."""
    query = query.strip()
    if len(query) < 2:
        return SearchResults([], [], [])
    receipt = _RECEIPT.match(query)
    payment_match = Q(order_ref__iexact=query) | Q(payment_ref__iexact=query)
    if receipt:
        payment_match |= Q(receipt__pk=int(receipt.group(1)))
    payments = list(
        Payment.objects.filter(payment_match)
        .select_related("booking", "receipt")
        .order_by("-created_at")[:SEARCH_LIMIT]
    )
    person_match = Q(email__icontains=query) | Q(full_name__icontains=query)
    people = list(User.objects.filter(person_match).order_by("full_name", "pk")[:SEARCH_LIMIT])
    booking_match = (
        Q(reference__iexact=query)
        | Q(payments__in=[p.pk for p in payments])
        | Q(candidate__in=[p.pk for p in people])
        | Q(interviewer__user__in=[p.pk for p in people])
    )
    bookings = list(
        Booking.objects.filter(booking_match)
        .select_related(*_BOOKING_LIST_RELATED)
        .distinct()
        .order_by("-starts_at")[:SEARCH_LIMIT]
    )
    return SearchResults(bookings=bookings, people=people, payments=payments)


def console_bookings(
    *,
    status: str = "",
    interview_type=None,
    interviewer=None,
    person: User | None = None,
    starts_from: datetime.datetime | None = None,
    starts_before: datetime.datetime | None = None,
    references: list[str] | None = None,
) -> QuerySet[Booking]:
    """Bookings matching the filters, newest start first, with what a list row shows."""
    bookings = Booking.objects.select_related(*_BOOKING_LIST_RELATED).order_by("-starts_at", "-pk")
    if status:
        bookings = bookings.filter(status=status)
    if interview_type is not None:
        bookings = bookings.filter(interview_type=interview_type)
    if interviewer is not None:
        bookings = bookings.filter(interviewer=interviewer)
    if person is not None:
        bookings = bookings.filter(Q(candidate=person) | Q(interviewer__user=person))
    if starts_from is not None:
        bookings = bookings.filter(starts_at__gte=starts_from)
    if starts_before is not None:
        bookings = bookings.filter(starts_at__lt=starts_before)
    if references is not None:
        bookings = bookings.filter(reference__in=references)
    return bookings


def console_booking(*, reference: str) -> Booking | None:
    return (
        Booking.objects.select_related("candidate", "interviewer__user", "interview_type")
        .filter(reference=reference)
        .first()
    )


def free_interviewers_for(*, booking: Booking, now: datetime.datetime) -> list[InterviewerProfile]:
    """Who could take this session instead: active interviewers offering its type, other than
    its own, whose own rules leave its time open: within their weekly hours or that day's
    changed hours, not on time off, clear of their other sessions with their buffer, their day
    not full. Staff may hand over a session at any notice and at any minute, so neither the
    notice nor the step between starts applies. A fixed number of queries for any number of
    interviewers; the reassignment service checks again when it is done."""
    offering = list(
        InterviewerProfile.objects.filter(
            interview_types=booking.interview_type_id, user__is_active=True
        )
        .exclude(pk=booking.interviewer_id)
        .select_related("user")
        .order_by("display_name", "pk")
    )
    availabilities = availabilities_for(
        interviewers=offering, now=now, exclude_booking_id=booking.pk, around=booking.starts_at
    )
    duration = booking.ends_at - booking.starts_at
    return [
        profile
        for profile, availability in zip(offering, availabilities, strict=True)
        if slot_is_open(
            _any_notice_any_minute(availability, reach=booking.ends_at - now),
            start=booking.starts_at,
            duration=duration,
            now=now,
        )
    ]


def _any_notice_any_minute(
    availability: InterviewerAvailability, *, reach: datetime.timedelta
) -> InterviewerAvailability:
    rules = availability.rules
    return dataclasses.replace(
        availability,
        rules=dataclasses.replace(
            rules,
            min_notice=datetime.timedelta(0),
            step=datetime.timedelta(minutes=1),
            horizon=max(rules.horizon, reach),
        ),
    )


MOVE_SLOTS_LIMIT = 60


def move_slots_for(*, booking: Booking, now: datetime.datetime) -> list[Slot]:
    """The open slots of the booking's own interviewer it could move to, soonest first, by the
    interviewer's rules as the candidate would see them (booking_reschedule checks the same)."""
    interviewer = InterviewerProfile.objects.select_related("user").get(pk=booking.interviewer_id)
    (availability,) = availabilities_for(
        interviewers=[interviewer], now=now, exclude_booking_id=booking.pk
    )
    slots = open_slots(availability, duration=booking.ends_at - booking.starts_at, now=now)
    return [slot for slot in slots if slot.start != booking.starts_at][:MOVE_SLOTS_LIMIT]


@dataclass(frozen=True)
class RefundRow:
    refund: Refund
    can_retry: bool  # failed, and not yet retried
    can_check: bool  # not yet final: the provider can be asked


@dataclass(frozen=True)
class PaymentRow:
    payment: Payment
    refunds: list[RefundRow]  # oldest first


def payments_with_refunds(payments: QuerySet[Payment]) -> list[PaymentRow]:
    """The payments, each with its refunds and what staff may do about each. Two queries,
    whatever the numbers."""
    rows = []
    for payment in payments.prefetch_related(
        Prefetch("refunds", queryset=Refund.objects.order_by("created_at", "pk"))
    ):
        refunds = list(payment.refunds.all())
        keys = {refund.idempotency_key for refund in refunds}
        rows.append(
            PaymentRow(
                payment,
                [
                    RefundRow(
                        refund,
                        can_retry=refund.status == RefundStatus.FAILED
                        and refund_retry_key(refund) not in keys,
                        can_check=refund.status in REFUND_IN_PROGRESS,
                    )
                    for refund in refunds
                ],
            )
        )
    return rows


def booking_payments(*, booking: Booking) -> list[PaymentRow]:
    """The booking's payments, oldest first, with their refunds (payments_with_refunds)."""
    return payments_with_refunds(
        Payment.objects.filter(booking=booking).select_related("receipt").order_by("created_at")
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # event, payment, refund, meeting, email, file, feedback, rating
    title: str
    detail: str = ""
    who: str = ""
    status: str = ""
    url: str = ""  # the rendered email, when it can be shown
    anchor: str = ""
    email: OutboxEmail | None = None  # with a resend button when it may be sent again


def booking_timeline(*, booking: Booking) -> list[TimelineEntry]:
    """Everything that happened to a booking, oldest first: its audit events, payments and
    refunds, meeting, emails, file openings, scorecard and rating. One query for each."""
    entries = [
        TimelineEntry(
            event.at,
            "event",
            event.action.replace("_", " ").capitalize(),
            event.detail,
            who=_who(event.actor, event.get_actor_role_display()),
            status=event.to_status,
        )
        for event in booking.events.select_related("actor")
    ]
    for payment in Payment.objects.filter(booking=booking).select_related("receipt"):
        receipt = getattr(payment, "receipt", None)
        entries.append(
            TimelineEntry(
                payment.created_at,
                "payment",
                f"Payment order {payment.order_ref}",
                f"{format_inr(payment.amount_paise)} via {payment.gateway}",
                status=payment.get_status_display(),
                anchor=f"payment-{payment.pk}",
            )
        )
        if payment.captured_at:
            entries.append(
                TimelineEntry(
                    payment.captured_at,
                    "payment",
                    f"Paid {format_inr(payment.amount_paise)}",
                    f"{payment.payment_ref or ''} {payment.method}".strip()
                    + (f"; receipt {receipt.number}" if receipt else ""),
                    status=payment.get_status_display(),
                )
            )
    for refund in Refund.objects.filter(payment__booking=booking):
        entries.append(
            TimelineEntry(
                refund.created_at,
                "refund",
                f"Refund of {format_inr(refund.amount_paise)}",
                refund.reason,
                status=refund.get_status_display(),
            )
        )
    meeting = Meeting.objects.filter(booking=booking).first()
    if meeting is not None:
        entries.append(
            TimelineEntry(
                meeting.updated_at,
                "meeting",
                f"Meeting ({meeting.provider})",
                meeting.last_error,
                status=meeting.get_status_display(),
                url=meeting.url,
                anchor="meeting",
            )
        )
    for email in OutboxEmail.objects.filter(booking=booking).order_by("created_at", "pk"):
        viewable = email.kind not in ACCESS_EMAILS and bool(email.html_body)
        entries.append(
            TimelineEntry(
                email.created_at,
                "email",
                f"Email {email.kind.replace('_', ' ')} to {email.to_address}",
                email.last_error,
                status=f"{email.get_status_display()} ({email.attempts} "
                f"attempt{'' if email.attempts == 1 else 's'})",
                url=reverse("operations:email", args=[email.pk]) if viewable else "",
                anchor=f"email-{email.pk}",
                email=email,
            )
        )
    for access in booking.file_accesses.select_related("accessed_by"):
        entries.append(
            TimelineEntry(
                access.accessed_at,
                "file",
                f"Opened the {access.get_kind_display().lower()} {access.file_name}",
                who=_who(access.accessed_by, access.get_accessed_by_role_display()),
            )
        )
    feedback = Feedback.objects.filter(booking=booking).first()
    if feedback is not None:
        entries.append(
            TimelineEntry(
                feedback.submitted_at,
                "feedback",
                "Scorecard submitted",
                feedback.get_hire_signal_display(),
                who="Interviewer",
            )
        )
    rating = Rating.objects.filter(booking=booking).first()
    if rating is not None:
        entries.append(
            TimelineEntry(
                rating.created_at,
                "rating",
                f"Candidate rated the interviewer {rating.score} of 5",
                rating.comment,
                who="Candidate",
            )
        )
    return sorted(entries, key=lambda entry: entry.at)


def _who(user: User | None, role: str) -> str:
    return f"{user.full_name} ({role})" if user is not None else role
