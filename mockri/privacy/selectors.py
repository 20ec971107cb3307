from django.conf import settings

from mockri.bookings.models import Booking, BookingFile, FileAccess
from mockri.notifications.models import OutboxEmail
from mockri.payments.models import Payment

from .models import Grievance

# The providers the privacy policy names, and what each receives.
PROVIDERS = [
    ("Google", "sign-in (if you use it) and Google Meet links for sessions"),
    ("Cal.com", "scheduling and meeting links, where used"),
    ("Resend", "sending our emails to you"),
    ("Razorpay", "payments for paid sessions (we keep only reference IDs and amounts)"),
    ("Neon", "hosting our database"),
    ("Vercel", "hosting the website"),
]


def personal_data_summary(*, user) -> dict:
    """Categories and counts of what Mockri holds about `user`, and who received it."""
    bookings = Booking.objects.filter(candidate=user)
    return {
        "account": {
            "name": user.full_name,
            "email": user.email,
            "timezone": user.timezone,
            "google": user.socialaccount_set.exists(),
            "image": bool(user.avatar),
        },
        "consents": user.consents.count(),
        "bookings": bookings.count(),
        "files": BookingFile.objects.filter(booking__candidate=user).count(),
        "payments": Payment.objects.filter(booking__candidate=user).count(),
        "emails": OutboxEmail.objects.filter(recipient=user).count(),
        "file_openings": FileAccess.objects.filter(booking__candidate=user).count(),
        "requests": Grievance.objects.filter(user=user).count(),
        "file_retention_days": settings.FILE_RETENTION_DAYS,
        "interviewers": sorted(set(bookings.values_list("interviewer__display_name", flat=True))),
        "providers": PROVIDERS,
    }
