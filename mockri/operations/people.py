"""The console's reads about people and emails: a person's page and the email log. Staff only:
the views check that before calling these."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.db.models import Q, QuerySet

from mockri.accounts.models import Consent, User
from mockri.bookings.models import Booking
from mockri.notifications.models import OutboxEmail
from mockri.payments.models import Payment
from mockri.privacy.models import DataExport, Grievance, GrievanceKind
from mockri.privacy.selectors import grievance_from_owner

from .lookup import PaymentRow, payments_with_refunds
from .models import StaffAction

PERSON_ROWS = 25  # per section of a person's page: the newest; the lists link to the rest


@dataclass(frozen=True)
class PersonStory:
    person: User
    bookings: list[Booking]
    payments: list[Payment]
    pack_payments: list[PaymentRow]
    emails: list[OutboxEmail]
    addresses: list[EmailAddress]
    consents: list[Consent]
    requests: list[Grievance]
    exports: list[DataExport]
    sessions: list[UserSession]
    actions: list[StaffAction]

    @property
    def address_confirmed(self) -> bool:
        return any(a.verified for a in self.addresses if a.email.lower() == self.person.email)

    def requests_for(self, kinds: set[str]) -> list[Grievance]:
        """The person's own confirmed requests of these kinds: what staff may act on."""
        return [
            request
            for request in self.requests
            if request.kind in kinds and grievance_from_owner(grievance=request, user=self.person)
        ]

    @property
    def export_requests(self) -> list[Grievance]:
        return self.requests_for({GrievanceKind.ACCESS})

    @property
    def erasure_requests(self) -> list[Grievance]:
        return self.requests_for({GrievanceKind.ERASURE, GrievanceKind.WITHDRAW_CONSENT})


def console_person(*, pk: int) -> PersonStory | None:
    """Everything about one person, newest first: a fixed number of queries (one per section),
    whatever the number of their bookings, emails or devices."""
    person = User.objects.filter(pk=pk).first()
    if person is None:
        return None
    bookings = list(
        Booking.objects.filter(Q(candidate=person) | Q(interviewer__user=person))
        .select_related("candidate", "interviewer", "interview_type")
        .order_by("-starts_at", "-pk")[:PERSON_ROWS]
    )
    payments = list(
        Payment.objects.filter(booking__candidate=person)
        .select_related("booking", "receipt")
        .order_by("-created_at", "-pk")[:PERSON_ROWS]
    )
    pack_payments = payments_with_refunds(
        Payment.objects.filter(pack_purchase__candidate=person)
        .select_related("pack_purchase__pack", "receipt")
        .order_by("-created_at", "-pk")[:PERSON_ROWS]
    )
    emails = list(
        OutboxEmail.objects.filter(Q(recipient=person) | Q(to_address__iexact=person.email))
        .select_related("booking")
        .defer("text_body", "html_body", "attachments")
        .order_by("-created_at", "-pk")[:PERSON_ROWS]
    )
    requests = list(
        Grievance.objects.filter(Q(user=person) | Q(email__iexact=person.email)).order_by(
            "-created_at"
        )[:PERSON_ROWS]
    )
    return PersonStory(
        person=person,
        bookings=bookings,
        payments=payments,
        pack_payments=pack_payments,
        emails=emails,
        addresses=list(EmailAddress.objects.filter(user=person).order_by("-primary", "email")),
        consents=list(person.consents.order_by("-accepted_at")[:PERSON_ROWS]),
        requests=requests,
        exports=list(
            DataExport.objects.filter(user=person)
            .select_related("requested_by")
            .order_by("-created_at")[:PERSON_ROWS]
        ),
        sessions=list(UserSession.objects.filter(user=person).order_by("-last_seen_at")),
        actions=list(
            StaffAction.objects.filter(person=person).select_related("staff")[:PERSON_ROWS]
        ),
    )


def console_emails(*, to: str = "", kind: str = "", status: str = "") -> QuerySet[OutboxEmail]:
    """The outbox, newest first, filtered by recipient (part of the address), kind and status;
    without the bodies, which only the email's own page shows."""
    emails = (
        OutboxEmail.objects.select_related("booking")
        .defer("text_body", "html_body", "attachments")
        .order_by("-created_at", "-pk")
    )
    if to:
        emails = emails.filter(to_address__icontains=to)
    if kind:
        emails = emails.filter(kind=kind)
    if status:
        emails = emails.filter(status=status)
    return emails


def email_kinds() -> list[str]:
    """Every kind of email the outbox holds, for the log's filter."""
    return sorted(OutboxEmail.objects.order_by().values_list("kind", flat=True).distinct())
