"""Account emails, each with a plain-text and an HTML part in Mockri's own layout."""

import zoneinfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from .models import User


def render_html_from_text(*, subject: str, text: str) -> str:
    """The HTML part of an email whose words live in its plain-text template."""
    return render_to_string(
        "emails/layout.html",
        {"subject": subject, "paragraphs": [p for p in text.split("\n\n") if p.strip()]},
    )


def send_account_email(name: str, *, user: User, context: dict) -> None:
    """Render templates/emails/<name>/{subject,body}.txt in the user's time zone and send it."""
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    with timezone.override(zoneinfo.ZoneInfo(user.timezone)):
        subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
        text = render_to_string(f"emails/{name}/body.txt", context).strip()
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(render_html_from_text(subject=subject, text=text), "text/html")
    message.send()
