import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import parse_rates
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import timezone

from mockri.lib.client_ip import UNKNOWN_CLIENT, client_ip
from mockri.lib.text import single_line

from .emails import account_email_queue, render_html_from_text
from .models import User
from .tasks import user_avatar_fetch_task, user_google_signin_notify_task


def login_lockout_wait() -> str:
    """How long a sign-in lockout lasts at most: the longest window of the failed sign-in limits
    ("5 minutes" for "10/m/ip,5/5m/key"), parsed as allauth parses them."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get("login_failed"))
    minutes = max((round(rate.duration / 60) for rate in rates), default=1) or 1
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class AccountAdapter(DefaultAccountAdapter):
    @property
    def error_messages(self) -> dict:
        """allauth's form errors, with the sign-in lockout saying how long to wait."""
        return {
            **DefaultAccountAdapter.error_messages,
            "too_many_login_attempts": (
                f"Too many failed sign-in attempts. Please wait {login_lockout_wait()}, then try "
                "again, or reset your password."
            ),
        }

    def get_client_ip(self, request) -> str:
        """The address rate limits count by (allauth's, and Mockri's through
        allauth.core.ratelimit) and user sessions record: see mockri.lib.client_ip. One that
        cannot be told shares a bucket, where allauth would refuse the request with a 403."""
        return client_ip(request) or UNKNOWN_CLIENT

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (address confirmation, password reset, security notices...) go
        through the outbox: rendered now, sent by its task with retries.

        Each call is one email a person asked for or an event caused, so each gets a new dedupe
        key: a second password reset is a second email, while retrying the send of one reuses
        its outbox row (and with it Resend's idempotency key).
        """
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        kind = template_prefix.rsplit("/", 1)[-1]
        account_email_queue(
            kind,
            to_address=email,
            recipient=_owner(context.get("user"), email),
            subject=message.subject,
            text_body=message.body,
            html_body=html,
            dedupe_key=f"{kind}:{uuid.uuid4().hex}",
        )

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails, worded by our .txt templates, get an HTML part in our layout."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if not getattr(message, "alternatives", None):
            message.attach_alternative(
                render_html_from_text(
                    subject=message.subject,
                    text=message.body,
                    # The links allauth made (activate_url, password_reset_url, ...).
                    links=[
                        v for k, v in context.items() if k.endswith("_url") and isinstance(v, str)
                    ],
                ),
                "text/html",
            )
        return message

    def format_email_subject(self, subject: str) -> str:
        return f"Mockri: {single_line(subject)}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Keeps what Google returns to the minimum the privacy policy names: name, email, image."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.full_name = single_line(data.get("name") or "")
        user.avatar_url = picture_url(sociallogin)
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        if user.avatar_url:
            user_avatar_fetch_task.enqueue(user_id=user.pk)
        return user

    def pre_social_login(self, request, sociallogin) -> None:
        """An existing Google user signing in: refresh the image if it changed, and tell them."""
        if not sociallogin.is_existing:
            return
        user = sociallogin.user
        picture = picture_url(sociallogin)
        if picture and picture != user.avatar_url:
            user.avatar_url = picture
            user.save(update_fields=["avatar_url"])
            user_avatar_fetch_task.enqueue(user_id=user.pk)
        user_google_signin_notify_task.enqueue(
            user_id=user.pk,
            ip_address=client_ip(request) or "unknown",
            user_agent=request.headers.get("User-Agent", "")[:200],
            signed_in_at=timezone.now().isoformat(),
        )


def _owner(user, address: str) -> User | None:
    """Whose account an account email is about: the user allauth names (a new address being
    confirmed is not their email yet), else the owner of the address, else nobody (a password
    reset asked for an unknown address)."""
    if isinstance(user, User) and user.pk:
        return user
    owner = User.objects.filter(email__iexact=address).first()
    if owner is None:
        other = EmailAddress.objects.filter(email__iexact=address).select_related("user").first()
        owner = other.user if other else None
    return owner


def picture_url(sociallogin) -> str:
    return (sociallogin.account.extra_data or {}).get("picture", "")[:500]
