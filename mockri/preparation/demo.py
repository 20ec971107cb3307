"""Demo data: the roles candidates prepare for, and the demo candidate preparing for a real
interview in a few weeks with the first session of their plan booked and paid (through the
offline test gateway). Applying it twice changes nothing while the date is still ahead."""

import datetime
import uuid
import zoneinfo

from django.db import transaction
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import BookingStatus
from mockri.bookings.services import booking_create
from mockri.catalogue.demo import DEMO_CANDIDATE
from mockri.catalogue.models import Company, InterviewType, Seniority
from mockri.lib.errors import DomainError
from mockri.payments.gateways.fake import TestGateway
from mockri.payments.services import payment_checkout_complete, payment_order_for

from .models import TargetRole
from .planning import StepStatus
from .selectors import candidate_profile_of, preparation_plan
from .services import candidate_profile_update

ROLES = [
    ("Software engineer", ["coding-dsa", "system-design", "behavioral"]),
    ("Engineering manager", ["system-design", "behavioral"]),
    ("Product manager", ["product-management", "behavioral"]),
]
INTERVIEW_IN = datetime.timedelta(days=18)
# The same key on every run: a second run finds the first run's booking.
DEMO_BOOKING_KEY = uuid.UUID("5b1f0c4e-0d6a-4a53-9d55-9c1d3f6a2e01")


@transaction.atomic
def roles_seed_demo() -> None:
    for position, (name, slugs) in enumerate(ROLES):
        role, _ = TargetRole.objects.get_or_create(
            slug=name.lower().replace(" ", "-"), defaults={"name": name, "position": position}
        )
        wanted = set(InterviewType.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        if set(role.interview_types.values_list("pk", flat=True)) != wanted:
            role.interview_types.set(wanted)


def preparation_seed_demo() -> None:
    """The demo candidate's profile (a software engineer role at Google, senior, an interview
    18 days ahead) and their plan's first suggested session, booked and paid."""
    roles_seed_demo()
    candidate = User.objects.get(email=DEMO_CANDIDATE["email"])
    now = timezone.now()
    today = now.astimezone(zoneinfo.ZoneInfo(candidate.timezone)).date()
    profile = candidate_profile_of(user=candidate)
    if profile is None or profile.interview_on is None or profile.interview_on <= today:
        candidate_profile_update(
            user=candidate,
            target_role=TargetRole.objects.get(slug="software-engineer"),
            level=Seniority.SENIOR,
            target_companies=Company.objects.filter(name="Google"),
            interview_on=today + INTERVIEW_IN,
            now=now,
        )
    profile = candidate_profile_of(user=candidate)
    shown = preparation_plan(user=candidate, profile=profile, now=now) if profile else None
    if shown is None or any(step.status == StepStatus.BOOKED for step in shown.steps):
        return
    first = next((step for step in shown.steps if step.status == StepStatus.SUGGESTED), None)
    if first is None or first.interviewer is None or first.starts_at is None:
        return
    try:
        booking = booking_create(
            candidate=candidate,
            interview_type=first.interview_type,
            interviewer=first.interviewer,
            starts_at=first.starts_at,
            job_description_text="Senior backend engineer, Google Pay India: payments APIs in "
            "Go and Java, distributed systems, on-call for a high-volume service.",
            target_company="Google",
            idempotency_key=DEMO_BOOKING_KEY,
            now=now,
        )
    except DomainError:
        return  # the time went meanwhile: the demo shows the plan with nothing booked
    if booking.status == BookingStatus.PENDING_PAYMENT:
        gateway = TestGateway()
        payment = payment_order_for(booking=booking, gateway=gateway)
        paid, signature, _ = gateway.checkout(payment.order_ref, succeed=True)
        payment_checkout_complete(
            payment=payment, gateway=gateway, payment_ref=paid.provider_ref, signature=signature
        )
