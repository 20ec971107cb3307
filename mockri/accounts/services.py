import datetime
import uuid

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from mockri.lib.images import image_type
from mockri.lib.tz import canonical_timezone

from .emails import send_account_email
from .models import Consent, ConsentSource, Session, User

AVATAR_MAX_BYTES = 1_000_000


def consent_record(
    *,
    user: User,
    source: ConsentSource,
    version: str | None = None,
    ip_address: str | None = None,
    accepted_at: datetime.datetime | None = None,
) -> Consent:
    """Store that `user` accepted the privacy policy `version` (the current one by default),
    when (now by default: earlier for consent given before the account existed) and from where:
    the consent log is Mockri's proof of consent (DPDP Act s.6(10))."""
    return Consent.objects.create(
        user=user,
        policy_version=version or settings.PRIVACY_POLICY_VERSION,
        source=source,
        ip_address=ip_address or None,
        **({"accepted_at": accepted_at} if accepted_at is not None else {}),
    )


def consent_is_current(*, user: User) -> bool:
    return user.consents.filter(policy_version=settings.PRIVACY_POLICY_VERSION).exists()


def user_profile_update(*, user: User, full_name: str, timezone: str) -> User:
    user.full_name = full_name
    user.timezone = canonical_timezone(timezone)
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


# A device record is written as its session signs in, just before the session's row: one this
# old without a row belongs to a session that ended.
DEVICE_RECORD_GRACE = datetime.timedelta(days=1)


def sessions_expire(*, now: datetime.datetime) -> int:
    """Retention: sessions past their lifetime, and the device records (address, browser) of
    sessions that no longer exist. Returns how many sessions went."""
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    UserSession.objects.filter(created_at__lt=now - DEVICE_RECORD_GRACE).exclude(
        session_key__in=Session.objects.values("session_key")
    ).delete()
    return deleted


def user_sessions_end(*, user: User) -> None:
    """Sign `user` out everywhere: every session they have is deleted."""
    Session.objects.filter(user=user).delete()
    UserSession.objects.filter(user=user).delete()


ADDRESS_CHECK_SALT = "mockri.accounts.address-check"
ADDRESS_CHECK_MAX_AGE = 3 * 24 * 60 * 60


def user_address_check_send(*, user: User) -> None:
    """Email a link to the address that bounced, which proves it receives mail again when
    followed (allauth cannot re-confirm an address it already confirmed).

    Side effects: the email in the outbox, sent despite the bounce.
    """
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=ADDRESS_CHECK_SALT)
    send_account_email(
        "address_check",
        user=user,
        context={"link": settings.SITE_URL + reverse("accounts:address_check", args=[token])},
        dedupe_key=f"address_check:{user.pk}:{uuid.uuid4().hex}",
    )


def user_address_check_confirm(*, user: User, token: str) -> bool:
    """Follow the link: `user`'s address receives mail again, so emails to it resume. False for
    a link that is someone else's, for another address, broken or older than three days."""
    try:
        payload = signing.loads(token, salt=ADDRESS_CHECK_SALT, max_age=ADDRESS_CHECK_MAX_AGE)
    except signing.BadSignature:
        return False
    if payload != {"user": user.pk, "email": user.email}:
        return False
    User.objects.filter(pk=user.pk).update(email_bounced_at=None)
    return True
