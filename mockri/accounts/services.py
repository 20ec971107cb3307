import uuid

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db import transaction

from mockri.lib.images import image_type

from .models import Consent, ConsentSource, User

AVATAR_MAX_BYTES = 1_000_000


def consent_record(*, user: User, source: ConsentSource, version: str | None = None) -> Consent:
    """Store that `user` accepted the privacy policy `version` (the current one by default)."""
    return Consent.objects.create(
        user=user, policy_version=version or settings.PRIVACY_POLICY_VERSION, source=source
    )


def consent_is_current(*, user: User) -> bool:
    return user.consents.filter(policy_version=settings.PRIVACY_POLICY_VERSION).exists()


def user_profile_update(*, user: User, full_name: str, timezone: str) -> User:
    user.full_name = full_name
    user.timezone = timezone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "timezone"])
    return user


@transaction.atomic
def user_avatar_store(*, user: User, data: bytes) -> bool:
    """Keep a private copy of the user's profile image; False when the bytes are not an image.

    Side effects: replaces and deletes any previous copy in storage.
    """
    kind = image_type(data)
    if kind is None or len(data) > AVATAR_MAX_BYTES:
        return False
    content_type, extension = kind
    previous = user.avatar.name
    user.avatar.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    user.avatar_content_type = content_type
    user.save(update_fields=["avatar", "avatar_content_type"])
    if previous:
        transaction.on_commit(lambda: user.avatar.storage.delete(previous))
    return True


def user_sessions_end(*, user: User) -> None:
    """Sign `user` out everywhere: every session they have is deleted."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
