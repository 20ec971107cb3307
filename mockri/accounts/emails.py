"""Account emails, each with a plain-text and an HTML part in Mockri's own layout, sent through
the notifications outbox like every other email (its retries, its bounce suppression).

Accounts cannot import the outbox (notifications imports accounts), so it asks for each email
with the `account_email` signal, which the notifications app answers by storing the email in
the outbox, in the caller's transaction. A signal rather than a lazily imported function keeps
the dependency one-way and visible: accounts only knows that someone must answer, and refuses
to lose an email silently when no one does.
"""

import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from mockri.lib.text import single_line

from .models import User

# Sent with kind, to_address, recipient (a User, or None for an address without an account),
# subject, text_body, html_body, dedupe_key and despite_bounce; the receiver queues the email.
account_email = Signal()

# Emails by which a person proves they own an address or gets back into their account. They go
# even to an address that bounced before: that is how its owner fixes it (confirming an
# address clears the bounce). Every other email skips an address that bounced.
ACCESS_EMAILS = frozenset(
    {
        "email_confirmation",
        "email_confirmation_signup",
        "password_reset_key",
        "password_reset_code",
        "login_code",
        "account_already_exists",
        "unknown_account",
        "address_check",
        # Confirms a privacy request (an erasure, a copy of one's data) as the account owner's.
        "grievance_confirm",
    }
)


_URL = re.compile(r"https?://[^\s<>\"]+")
# What ends a sentence rather than a URL: "Details: https://mockri.com/bookings/X/."
_AFTER_URL = ".,;:!?)'"


def render_html_from_text(*, subject: str, text: str, links=()) -> str:
    """The HTML part of an email whose words live in its plain-text template. Only URLs we
    made become links: our own site's, and those in `links` (e.g. a meeting link). All other
    text, whatever a person typed (a name, a cancellation reason) included, stays text, so no
    one can put a clickable link in an email Mockri sends."""
    ours = {link for link in links if link}
    return render_to_string(
        "emails/layout.html",
        {
            "subject": subject,
            "paragraphs": [_linked(p, ours) for p in text.split("\n\n") if p.strip()],
        },
    )


def _linked(paragraph: str, ours: set[str]) -> SafeString:
    pieces, done = [], 0
    for match in _URL.finditer(paragraph):
        url = match.group().rstrip(_AFTER_URL)
        if url in ours or url == settings.SITE_URL or url.startswith(settings.SITE_URL + "/"):
            pieces += [
                paragraph[done : match.start()],
                format_html('<a href="{}">{}</a>', url, url),
            ]
            done = match.start() + len(url)
    pieces.append(paragraph[done:])
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def account_email_queue(
    kind: str,
    *,
    to_address: str,
    recipient: User | None,
    subject: str,
    text_body: str,
    html_body: str,
    dedupe_key: str,
) -> None:
    """Hand a rendered account email to the outbox (through `account_email`).

    Side effects: the receiver's outbox row and send task, in the caller's transaction.
    Raises ImproperlyConfigured when nothing receives the signal, rather than drop the email.
    """
    answers = account_email.send(
        sender=User,
        kind=kind,
        to_address=to_address,
        recipient=recipient,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        dedupe_key=dedupe_key,
        despite_bounce=kind in ACCESS_EMAILS,
    )
    if not answers:
        raise ImproperlyConfigured("No outbox receives account emails: install notifications.")


def send_account_email(name: str, *, user: User, context: dict, dedupe_key: str) -> None:
    """Render templates/emails/<name>/{subject,body}.txt in the user's time zone and queue it."""
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    with timezone.override(zoneinfo.ZoneInfo(user.timezone)):
        subject = single_line(render_to_string(f"emails/{name}/subject.txt", context))
        text = render_to_string(f"emails/{name}/body.txt", context).strip()
    account_email_queue(
        name,
        to_address=user.email,
        recipient=user,
        subject=subject,
        text_body=text,
        html_body=render_html_from_text(subject=subject, text=text),
        dedupe_key=dedupe_key,
    )
