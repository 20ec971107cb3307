import datetime
import logging
from urllib.parse import urlsplit

import requests
from django.tasks import task
from django.utils import timezone

from .emails import send_account_email
from .models import User
from .services import AVATAR_MAX_BYTES, user_avatar_store

logger = logging.getLogger(__name__)

# Only Google's image hosts: the URL came from a sign-in response, and fetching arbitrary
# addresses from the server would let anyone make it call into the private network.
_AVATAR_HOST_SUFFIX = ".googleusercontent.com"


def avatar_url_is_allowed(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and (parts.hostname or "").endswith(_AVATAR_HOST_SUFFIX)


@task
def user_avatar_fetch_task(*, user_id: int) -> None:
    """Copy the user's Google profile image into private storage so pages serve it themselves."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not avatar_url_is_allowed(user.avatar_url):
        return
    try:
        with requests.get(user.avatar_url, timeout=5, stream=True) as response:
            response.raise_for_status()
            data = response.raw.read(AVATAR_MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as error:
        # Not the error's text: it quotes the image's address at Google.
        logger.warning(
            "Could not fetch the profile image of user %s (%s)", user_id, type(error).__name__
        )
        return
    if not user_avatar_store(user=user, data=data):
        logger.warning("The profile image of user %s is not a small image; not stored", user_id)


@task
def user_google_signin_notify_task(
    *, user_id: int, ip_address: str, user_agent: str, signed_in_at: str = ""
) -> None:
    """Tell the user of a sign-in with Google. The sign-in's time names the email, so running
    this task again for the same sign-in queues nothing new."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    # Tasks queued before signed_in_at was passed fall back to the time they run.
    at = datetime.datetime.fromisoformat(signed_in_at) if signed_in_at else timezone.now()
    send_account_email(
        "google_signin",
        user=user,
        context={"signed_in_at": at, "ip_address": ip_address, "user_agent": user_agent},
        dedupe_key=f"google_signin:{user.pk}:{at.isoformat()}",
    )
