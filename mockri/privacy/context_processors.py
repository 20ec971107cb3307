from django.utils.functional import SimpleLazyObject

from .selectors import breach_notice_unread_for


def breach_banner(request):
    """The signed-in user's unacknowledged breach notice, for the banner in base.html: looked up
    (one query) only when a full page is rendered, and never for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"breach_banner": SimpleLazyObject(lambda: breach_notice_unread_for(user=user))}
