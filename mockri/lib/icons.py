"""Icons as one template tag: `{% icon "clock" %}`. Small stroke icons drawn for Mockri (24px
grid, inheriting the text colour), decorative only. A tag rather than an included template: a
directory page draws a hundred of them, and each include walked a chain of comparisons."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_OPENING = (
    '<svg class="icon" viewBox="0 0 24 24" width="20" height="20"'
    ' fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
    'stroke-linejoin="round" aria-hidden="true" focusable="false">'
)

_SHAPES = {
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "tag": '<path d="M3 12V4a1 1 0 0 1 1-1h8l9 9-9 9z"/><circle cx="8" cy="8" r="1.5"/>',
    "video": '<rect x="3" y="6" width="13" height="12" rx="2"/><path d="M16 10l5-3v10l-5-3"/>',
    "calendar": (
        '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>'
    ),
    "upload": (
        '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 '
        '3v5h5M12 17v-6M9 14l3-3 3 3"/>'
    ),
    "scorecard": (
        '<rect x="5" y="4" width="14" height="17" rx="2"/><path d="M9 4V3h6v1M9 11h6M9 15h4"/>'
    ),
    "check": '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
    "shield": (
        '<path d="M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6z"/><path d="M8.5 12l2.5 2.5 '
        '4.5-5"/>'
    ),
    "arrow-right": '<path d="M5 12h14M13 6l6 6-6 6"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.01"/>',
    "alert": '<path d="M12 3.5L2.5 20h19z"/><path d="M12 10v4.5M12 17.5v.01"/>',
    "mail": '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3.5 6.5l8.5 6.5 8.5-6.5"/>',
    "briefcase": (
        '<rect x="3" y="7" width="18" height="13" rx="2"/><path d="M9 7V5a1 1 0 0 1 1-1h4a1 1 0 0 '
        '1 1 1v2M3 13h18"/>'
    ),
    "globe": (
        '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c2.5 2.6 3.5 5.6 3.5 9s-1 6.4-3.5 '
        '9c-2.5-2.6-3.5-5.6-3.5-9s1-6.4 3.5-9z"/>'
    ),
    "refresh": (
        '<path d="M20 11a8 8 0 0 0-14.5-4.5L4 8M4 4v4h4M4 13a8 8 0 0 0 14.5 4.5L20 16M20 '
        '20v-4h-4"/>'
    ),
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "lock": '<rect x="4" y="10" width="16" height="11" rx="2"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/>',
}

ICONS: dict[str, SafeString] = {
    # The newline after it is the space an inline icon keeps from the text beside it.
    name: mark_safe(f"{_OPENING}{shape}</svg>\n")  # noqa: S308 — our own fixed markup
    for name, shape in _SHAPES.items()
}


@register.simple_tag
def icon(name: str) -> SafeString:
    """The icon called `name`; a name not drawn here fails the page, so a typo cannot ship."""
    return ICONS[name]
