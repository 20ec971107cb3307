from django.db import models


class RateKind(models.TextChoices):
    PERCENT = "percent", "A share of the session's price"
    FIXED = "fixed", "A fixed amount per session"


class EntryKind(models.TextChoices):
    SESSION = "session", "Session given"
    CANDIDATE_NO_SHOW = "candidate_no_show", "Candidate did not show"
    REVERSAL = "reversal", "Reversed: the candidate was refunded"


# The entries that credit a session; a booking has at most one of them.
CREDIT_KINDS = (EntryKind.SESSION, EntryKind.CANDIDATE_NO_SHOW)


class PayoutMethod(models.TextChoices):
    BANK = "bank", "Bank account"
    UPI = "upi", "UPI"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Waiting for staff"
    CONFIRMED = "confirmed", "Confirmed: refunded"
    DISMISSED = "dismissed", "Dismissed"


class IncidentKind(models.TextChoices):
    NO_SHOW = "no_show", "Did not show"
    LATE_CANCELLATION = "late_cancellation", "Cancelled inside 24 hours"
    LATE_FEEDBACK = "late_feedback", "Feedback late"
