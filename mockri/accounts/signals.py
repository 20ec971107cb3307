import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import SESSION_AUTH_AT, SESSION_SEEN_AT


@receiver(user_logged_in)
def start_session_clocks(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now
