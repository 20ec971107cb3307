"""Reads of packs and credits, scoped to who may see them."""

import datetime

from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from mockri.accounts.models import User
from mockri.bookings.models import Booking

from .enums import CreditKind
from .models import CreditEntry, Pack, PackPurchase


def packs_on_sale() -> QuerySet[Pack]:
    return Pack.objects.filter(is_active=True).prefetch_related("interview_types")


def with_balance(purchases: QuerySet[PackPurchase]) -> QuerySet[PackPurchase]:
    return purchases.annotate(
        balance=Coalesce(Sum("entries__credits"), Value(0), output_field=IntegerField())
    )


def purchases_of_candidate(*, user: User) -> QuerySet[PackPurchase]:
    """The candidate's paid packs, newest first, each with its `balance`."""
    return with_balance(
        PackPurchase.objects.filter(candidate=user, granted_at__isnull=False)
    ).select_related("pack")


def purchase_get_for_user(*, user: User, reference: str) -> PackPurchase:
    """A purchase for its candidate or staff; 404 for anyone else."""
    purchase = (
        with_balance(PackPurchase.objects.filter(reference=reference))
        .select_related("pack", "candidate")
        .first()
    )
    if purchase is None or (purchase.candidate_id != user.pk and not user.is_staff):
        raise Http404("No such pack.")
    return purchase


def credit_for_booking(*, booking: Booking) -> PackPurchase | None:
    """The purchase whose credit would pay for this booking: the candidate's, for its type,
    with a credit left and still valid when the session starts; the soonest to expire first."""
    return (
        with_balance(
            PackPurchase.objects.filter(
                candidate_id=booking.candidate_id,
                pack__interview_types=booking.interview_type_id,
                granted_at__isnull=False,
                expires_at__gt=booking.starts_at,
            )
        )
        .filter(Q(balance__gt=0))
        .select_related("pack")
        .order_by("expires_at", "pk")
        .first()
    )


def credits_of_booking(*, booking: Booking) -> list[CreditEntry]:
    """The credit that paid for this booking and its return, if any: oldest first."""
    return list(CreditEntry.objects.filter(booking=booking).select_related("purchase__pack"))


def packs_usage() -> QuerySet[Pack]:
    """Every pack with its figures for staff: purchases paid, credits granted, used (net of
    returns), outstanding (the balance of purchases not yet expired), expired and refunded."""

    def credits(kind: CreditKind) -> Coalesce:
        return Coalesce(
            Sum("purchases__entries__credits", filter=Q(purchases__entries__kind=kind)),
            Value(0),
            output_field=IntegerField(),
        )

    return (
        Pack.objects.annotate(
            sold=Count("purchases", filter=Q(purchases__granted_at__isnull=False), distinct=True),
            granted=credits(CreditKind.GRANTED),
            used=credits(CreditKind.USED),
            returned=credits(CreditKind.RETURNED),
            expired=credits(CreditKind.EXPIRED),
            refunded=credits(CreditKind.REFUNDED),
        )
        .prefetch_related("interview_types")
        .order_by("-is_active", "price_paise", "name")
    )


def purchases_due_a_reminder(*, now: datetime.datetime, before: datetime.timedelta):
    """Purchases with credits left that expire within `before`."""
    return with_balance(
        PackPurchase.objects.filter(expires_at__gt=now, expires_at__lte=now + before)
    ).filter(Q(balance__gt=0))
