import re

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+\w")
_CONTACT_PAGE = "Contact page"


@register.filter
def link_contacts(line: str) -> SafeString:
    """Escape a policy line, then link its email addresses and its mention of the Contact page.

    The visible words stay exactly as written; only anchors are added around them.
    """
    html = _EMAIL.sub(
        lambda match: format_html('<a href="mailto:{0}">{0}</a>', match.group(0)), escape(line)
    )
    contact_link = format_html('<a href="{}">{}</a>', reverse("pages:contact"), _CONTACT_PAGE)
    return mark_safe(html.replace(_CONTACT_PAGE, contact_link))  # noqa: S308 -- built from escaped parts
