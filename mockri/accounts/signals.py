import time

from allauth.socialaccount.signals import social_account_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .adapters import picture_url
from .middleware import SESSION_AUTH_AT, SESSION_SEEN_AT
from .tasks import user_avatar_fetch_task


@receiver(user_logged_in)
def start_session_clocks(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now


@receiver(social_account_added)
def keep_the_connected_google_image(sender, request, sociallogin, **kwargs):
    """A password account that connects Google gets Google's profile image, like a Google
    sign-up does, unless it already has one."""
    user = sociallogin.user
    picture = picture_url(sociallogin)
    if picture and not user.avatar_url:
        user.avatar_url = picture
        user.save(update_fields=["avatar_url"])
        user_avatar_fetch_task.enqueue(user_id=user.pk)
