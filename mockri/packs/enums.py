from django.db import models


class CreditKind(models.TextChoices):
    """The movements of a pack's credits. Granted and returned add; the others take away."""

    GRANTED = "granted", "Granted"
    USED = "used", "Used for a session"
    RETURNED = "returned", "Returned (cancelled in time)"
    EXPIRED = "expired", "Expired"
    REFUNDED = "refunded", "Refunded"


# Each kind's sign: an entry's `credits` is positive for these and negative for the rest.
CREDIT_ADDING = frozenset({CreditKind.GRANTED, CreditKind.RETURNED})
