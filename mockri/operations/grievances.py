"""The console's reads about privacy requests and grievances: the list, soonest due first, and
one request's page. Staff only: the views check that before calling these."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from mockri.accounts.models import User
from mockri.notifications.models import OutboxEmail
from mockri.privacy.models import Grievance, GrievanceKind, GrievanceStatus, Nominee
from mockri.privacy.selectors import grievance_from_owner, grievance_requester
from mockri.privacy.services import GRIEVANCE_ERASURE_KINDS, GRIEVANCE_EXPORT_KINDS

from .models import StaffAction
from .selectors import GRIEVANCE_WARNING


def console_grievances(*, status: str = "", kind: str = "", query: str = "") -> QuerySet:
    """Requests filtered by status, kind and a reference or (part of an) address: the open
    ones first, soonest due first, then the rest, most recently due first."""
    grievances = Grievance.objects.annotate(
        closed_rank=Case(
            When(status=GrievanceStatus.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        open_due=Case(When(status=GrievanceStatus.OPEN, then=F("due_at"))),
    ).order_by("closed_rank", F("open_due").asc(nulls_last=True), "-due_at", "-pk")
    if status:
        grievances = grievances.filter(status=status)
    if kind:
        grievances = grievances.filter(kind=kind)
    if query:
        grievances = grievances.filter(Q(reference__iexact=query) | Q(email__icontains=query))
    return grievances.defer("message", "reply")


def grievance_urgency(grievance: Grievance, *, now: datetime.datetime) -> str:
    """How pressing an open request is: "overdue", "due soon" (due within the queue's warning)
    or ""; always "" once answered or closed."""
    if grievance.status != GrievanceStatus.OPEN:
        return ""
    if grievance.due_at <= now:
        return "overdue"
    if grievance.due_at <= now + GRIEVANCE_WARNING:
        return "due soon"
    return ""


@dataclass(frozen=True)
class GrievanceStory:
    grievance: Grievance
    # The account registered with the request's address (not staff, not erased), and whether
    # its owner provably made the request: only then may staff export or erase for it.
    account: User | None
    from_owner: bool
    emails: list[OutboxEmail]
    actions: list[StaffAction]
    # Whoever named the sender's address as their nominee: a request made on their behalf is
    # checked against this (privacy.models.Nominee).
    nominated_by: list[Nominee]

    @property
    def can_export(self) -> bool:
        return self.from_owner and self.grievance.kind in GRIEVANCE_EXPORT_KINDS

    @property
    def can_erase(self) -> bool:
        return self.from_owner and self.grievance.kind in GRIEVANCE_ERASURE_KINDS

    @property
    def acts_on_account(self) -> bool:
        """A kind of request staff act on by exporting or erasing (when its owner made it)."""
        return self.grievance.kind in GRIEVANCE_EXPORT_KINDS | GRIEVANCE_ERASURE_KINDS

    @property
    def is_withdrawal(self) -> bool:
        return self.grievance.kind == GrievanceKind.WITHDRAW_CONSENT


def console_grievance(*, reference: str) -> GrievanceStory | None:
    """One request, who sent it, the emails about it and what staff did: a fixed number of
    queries."""
    grievance = Grievance.objects.select_related("user").filter(reference=reference).first()
    if grievance is None:
        return None
    account = grievance_requester(grievance=grievance)
    ref = grievance.reference
    emails = list(
        # The emails about a request are keyed by its reference (privacy.services).
        OutboxEmail.objects.filter(
            Q(dedupe_key__in=[f"grievance_received:{ref}", f"grievance_confirm:{ref}"])
            | Q(dedupe_key__startswith=f"grievance_answered:{ref}:")
        )
        .select_related("booking")
        .defer("text_body", "html_body", "attachments")
        .order_by("-created_at", "-pk")
    )
    return GrievanceStory(
        grievance=grievance,
        account=account,
        from_owner=account is not None and grievance_from_owner(grievance=grievance, user=account),
        emails=emails,
        actions=list(StaffAction.objects.filter(grievance=grievance).select_related("staff")),
        nominated_by=list(
            Nominee.objects.filter(email__iexact=grievance.email)
            .exclude(email="")
            .select_related("user")
        ),
    )
