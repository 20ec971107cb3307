from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from .emails import render_html_from_text
from .tasks import user_avatar_fetch_task, user_google_signin_notify_task


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails, worded by our .txt templates, get an HTML part in our layout."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if not getattr(message, "alternatives", None):
            message.attach_alternative(
                render_html_from_text(subject=message.subject, text=message.body), "text/html"
            )
        return message

    def format_email_subject(self, subject: str) -> str:
        return f"Mockri: {subject}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Keeps what Google returns to the minimum the privacy policy names: name, email, image."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.full_name = " ".join((data.get("name") or "").split())
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
            ip_address=get_account_adapter(request).get_client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:200],
        )


def picture_url(sociallogin) -> str:
    return (sociallogin.account.extra_data or {}).get("picture", "")[:500]
