from django.utils.functional import SimpleLazyObject

from .navigation import CONSOLE_SECTIONS
from .selectors import needs_attention


def console(request) -> dict:
    """The console's navigation and "needs attention" count, on every console page (others'
    included), for staff only; the count is read only when a page shows it."""
    user = getattr(request, "user", None)
    if not request.path.startswith("/console/") or user is None or not user.is_staff:
        return {}
    return {
        "console_sections": CONSOLE_SECTIONS,
        "attention_count": SimpleLazyObject(lambda: len(needs_attention())),
    }
