"""The account: what the person told us, how they sign in, and the records of their consent.

Also covers what allauth and Django keep about a signed-in person (email addresses, the linked
Google account, two-factor authenticators, sessions) and the admin's log of staff changes.
"""

import datetime
import uuid

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import DEFAULT_TIMEZONE, Consent, Session, User
from .services import user_sessions_end

MODELS = [
    User,
    Consent,
    EmailAddress,
    EmailConfirmation,
    SocialAccount,
    SocialToken,
    Authenticator,
    UserSession,
    Session,
    LogEntry,
]

ERASED_NAME = "Deleted user"
ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: can never be delivered to


def export(*, user: User, archive) -> dict:
    account = {
        "email": user.email,
        "full_name": user.full_name,
        "timezone": user.timezone,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_interviewer": user.is_interviewer,
        "is_staff": user.is_staff,
        "email_bounced_at": user.email_bounced_at,
        "profile_image": (
            archive.add_file(
                f"files/profile-image/{user.avatar.name.rsplit('/', 1)[-1]}", user.avatar.name
            )
            if user.avatar
            else None
        ),
        "profile_image_source": user.avatar_url,
    }
    return {
        "account": account,
        "consents": list(
            user.consents.order_by("accepted_at", "pk").values(
                "policy_version", "accepted_at", "source", "withdrawn_at", "ip_address"
            )
        ),
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "linked_accounts": list(
            SocialAccount.objects.filter(user=user).values(
                "provider", "uid", "date_joined", "last_login", "extra_data"
            )
        ),
        "two_factor_methods": list(
            Authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at")
        ),
        "sign_ins": list(
            UserSession.objects.filter(user=user).values(
                "created_at", "last_seen_at", "ip", "user_agent"
            )
        ),
        "admin_changes_made": list(
            LogEntry.objects.filter(user=user).values(
                "action_time", "object_repr", "change_message"
            )
        ),
    }


def erase(*, user: User, now: datetime.datetime) -> None:
    """De-identify the user row, which bookings, payments and the consent log still point to,
    and delete everything else that identifies the person or lets anyone sign in as them."""
    user_sessions_end(user=user)
    EmailAddress.objects.filter(user=user).delete()  # and their confirmations
    SocialAccount.objects.filter(user=user).delete()  # and their tokens
    Authenticator.objects.filter(user=user).delete()
    # The consent log stays as the record of what was accepted when, without where from.
    Consent.objects.filter(user=user).update(ip_address=None)
    # The admin's audit trail stays, naming the row by number only.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=f"user {user.pk}", change_message="")

    avatar = user.avatar.name
    user.email = f"erased-{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
    user.full_name = ERASED_NAME
    user.timezone = DEFAULT_TIMEZONE
    user.avatar = ""
    user.avatar_url = ""
    user.avatar_content_type = ""
    user.email_bounced_at = None
    user.is_active = False
    user.is_interviewer = False
    user.is_staff = user.is_superuser = False
    user.last_login = None
    user.erased_at = user.erased_at or now
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    if avatar:
        transaction.on_commit(lambda: user.avatar.storage.delete(avatar))
