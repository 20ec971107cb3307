"""Published reviews on an interviewer's profile, read by the include so the catalogue app
(which the feedback app builds on) needs to know nothing of them."""

from django import template

from ..models import Review
from ..selectors import reviews_published_for

register = template.Library()


@register.simple_tag
def published_reviews(profile) -> list[Review]:
    return reviews_published_for(profile=profile)
