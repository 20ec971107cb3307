from allauth.account.models import EmailAddress

from .models import User


def user_email_is_verified(*, user: User) -> bool:
    """Whether the user's login address is verified (required before booking)."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
